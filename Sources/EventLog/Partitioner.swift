/// Chooses a partition from a record key, the way Kafka's Java clients do by default.
///
/// Using Java's `murmur2` (rather than librdkafka's default CRC32) keeps a key on the same
/// partition whoever writes it, so tools and Kafka Connect sinks that re-key Ferry's topics agree
/// with Ferry. Records without a key go to partition 0: Ferry always keys data records, and
/// unkeyed control records must stay in one ordered sequence.
public enum Partitioner {
    /// The partition for `key` in a topic of `partitionCount` partitions.
    public static func partition(forKey key: [UInt8]?, partitionCount: Int32) -> Int32 {
        precondition(partitionCount > 0, "a topic has at least one partition")
        guard let key else { return 0 }
        let positive = murmur2(key) & 0x7fff_ffff
        return Int32(positive % UInt32(partitionCount))
    }

    /// Kafka's 32-bit murmur2 (seed 0x9747b28c), bit for bit.
    public static func murmur2(_ data: [UInt8]) -> UInt32 {
        let seed: UInt32 = 0x9747_b28c
        let m: UInt32 = 0x5bd1_e995
        let r: UInt32 = 24
        let length = data.count
        var h: UInt32 = seed ^ UInt32(truncatingIfNeeded: length)
        let blocks = length / 4
        for i in 0..<blocks {
            let base = i * 4
            var k = UInt32(data[base]) | UInt32(data[base + 1]) << 8
                | UInt32(data[base + 2]) << 16 | UInt32(data[base + 3]) << 24
            k &*= m
            k ^= k >> r
            k &*= m
            h &*= m
            h ^= k
        }
        let tail = blocks * 4
        switch length % 4 {
        case 3:
            h ^= UInt32(data[tail + 2]) << 16
            fallthrough
        case 2:
            h ^= UInt32(data[tail + 1]) << 8
            fallthrough
        case 1:
            h ^= UInt32(data[tail])
            h &*= m
        default:
            break
        }
        h ^= h >> 13
        h &*= m
        h ^= h >> 15
        return h
    }
}
