print("ferry-benchmark")
