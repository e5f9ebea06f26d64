{
  "targets": [
    {
      "target_name": "nclab_blas",
      "sources": ["nclab_blas.c"],
      "cflags": ["-O2", "-std=c11", "-Wall"],
      "libraries": ["-ldl"]
    },
    {
      "target_name": "nclab_cuda",
      "sources": ["nclab_cuda.c"],
      "cflags": ["-O2", "-std=c11", "-Wall"],
      "libraries": ["-ldl"]
    }
  ]
}
