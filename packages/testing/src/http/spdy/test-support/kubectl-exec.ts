/**
 * The bytes kubectl 1.27 sent on a SPDY exec connection to the local cluster (recorded from
 * `echo hi | kubectl exec -i web -- cat`): four SYN_STREAMs (error, stdin, stdout, stderr, their
 * header blocks compressed with the SPDY dictionary), then "hi\n" and FIN on stdin.
 */
export const KUBECTL_127_EXEC_SPDY =
  "80030001000000290000000100000000000078f9e3c6a7c26260606004a7b392a2d4c45c6851c29a0a0a6800000000ff" +
  "ff800300010000001700000003000000000000c22e555c92929907000000ffff80030001000000190000000500000000" +
  "0000c22ac5565c92925f5a02000000ffff800300010000001500000007000000000000c229975a5404000000ffff0000" +
  "00030000000368690a0000000301000000";
