// How Node is started for the signaling server: by `npm start`, the tests and the benchmark
// (package.json's "server" script spells out the same flags). The young generation is sized for
// a relay's short-lived garbage (each message leaves a few KB): fewer scavenges, which measured
// as less CPU per message and a shorter latency tail on the signaling benchmark. The old
// generation starts at 128 MB: with its first limits at ~35 MB, V8 kept starting full (mark-
// compact) collections of a heap of ~11 MB, ~5 a second in each process in Redis mode (its
// buffers in flight): 2 full collections instead of ~60 in a 10-second run, ~20 % less CPU per
// message there, for 60–80 MB more resident memory a process (in memory: the same CPU).
export const SERVER_NODE_FLAGS = ['--enable-source-maps', '--max-semi-space-size=32', '--initial-old-space-size=128'];
