/** Kanister's CSI snapshot functions. */
export { createCSISnapshot } from "./create-csi-snapshot.js";
export { createCSISnapshotStatic } from "./create-csi-snapshot-static.js";
export { deleteCSISnapshot, deleteCSISnapshotContent } from "./delete-csi-snapshot.js";
export { restoreCSISnapshot } from "./restore-csi-snapshot.js";
export { sanitizeTags, sanitizeValue } from "./sanitize-tags.js";
export { SNAPSHOT_API_MISSING, SNAPSHOT_FAILED, waitForReadyToUse } from "./snapshot-api.js";
