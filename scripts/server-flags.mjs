// How Node is started for the signaling server: by `npm start`, the tests and the benchmark
// (package.json's "server" script spells out the same flags). The young generation is sized for
// a relay's short-lived garbage (each message leaves a few KB): fewer scavenges, which measured
// as less CPU per message and a shorter latency tail on the signaling benchmark.
export const SERVER_NODE_FLAGS = ['--enable-source-maps', '--max-semi-space-size=32'];
