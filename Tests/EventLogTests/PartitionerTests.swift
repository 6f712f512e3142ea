import EventLog
import Testing

@Suite struct PartitionerTests {
    /// Values computed by Kafka's Java client (`Utils.murmur2`), which Ferry must agree with.
    @Test(arguments: [
        ("21", Int32(-973_932_308)),
        ("foobar", Int32(-790_332_482)),
        ("a-little-bit-long-string", Int32(-985_981_536)),
        ("a-little-bit-longer-string", Int32(-1_486_304_829)),
        ("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", Int32(-58_897_971)),
        ("abc", Int32(479_470_107)),
    ])
    func murmur2MatchesKafka(input: String, expected: Int32) {
        #expect(Int32(bitPattern: Partitioner.murmur2(Array(input.utf8))) == expected)
    }

    @Test func unkeyedRecordsGoToPartitionZero() {
        #expect(Partitioner.partition(forKey: nil, partitionCount: 12) == 0)
    }

    @Test func partitionIsWithinRange() {
        for i in 0..<1000 {
            let partition = Partitioner.partition(forKey: Array("k\(i)".utf8), partitionCount: 7)
            #expect((0..<7).contains(partition))
        }
    }
}
