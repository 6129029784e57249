/**
 * Benchmark support for the workspace's `*.bench.ts` files (not published): a local cluster in a
 * process of its own, whose CPU, memory and answered requests the benchmark can read, and helpers
 * for printing figures.
 */
export {
  benchPodName,
  type ClusterProcess,
  type ClusterProcessOptions,
  type ServerUsage,
  startClusterProcess,
} from "./cluster-process.js";
export {
  type FloorFigures,
  type FloorMode,
  type FloorShape,
  measureConnectionFloor,
} from "./connection-floor.js";
export {
  type DataClusterOptions,
  type DataClusterProcess,
  type DataClusterStore,
  type DataSetSummary,
  startDataClusterProcess,
} from "./data-cluster-process.js";
export {
  collectGarbage,
  cpuMsSince,
  fixed,
  MiB,
  median,
  percentile,
  printGrid,
  printTable,
  sampleRss,
} from "./figures.js";
export { countTlsHandshakes, type HandshakeCounter } from "./tls-handshakes.js";
