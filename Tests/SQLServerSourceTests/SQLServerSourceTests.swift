// Tests of SQLServerSource.
