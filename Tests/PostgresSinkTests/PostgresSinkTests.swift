// Tests of PostgresSink.
