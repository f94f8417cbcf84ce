{
  "targets": [
    {
      "target_name": "zkml_native",
      "sources": ["fixed_base.cc", "blake2b.cc"],
      "cflags_cc": ["-O3", "-std=c++17", "-fno-exceptions"],
      "cflags_cc!": ["-fno-rtti"],
      "ldflags": ["-pthread"]
    }
  ]
}
