/** Kanister's data functions: restic backups, restores and deletions at a Profile's location. */
import { backupData } from "./backup-data.js";
import { backupDataAll } from "./backup-data-all.js";
import { backupDataStats } from "./backup-data-stats.js";
import { checkRepository } from "./check-repository.js";
import { copyVolumeData } from "./copy-volume-data.js";
import { deleteData } from "./delete-data.js";
import { deleteDataAll } from "./delete-data-all.js";
import { locationDelete } from "./location-delete.js";
import { restoreData } from "./restore-data.js";
import { restoreDataAll } from "./restore-data-all.js";

export { backupData } from "./backup-data.js";
export { backupDataAll } from "./backup-data-all.js";
export { backupDataStats } from "./backup-data-stats.js";
export { checkRepository } from "./check-repository.js";
export { KANISTER_TOOLS_IMAGE } from "./common.js";
export { copyVolumeData } from "./copy-volume-data.js";
export { deleteData } from "./delete-data.js";
export { deleteDataAll } from "./delete-data-all.js";
export { DataErrorCodes } from "./errors.js";
export { locationDelete } from "./location-delete.js";
export { DEFAULT_ENCRYPTION_KEY } from "./restic.js";
export { restoreData } from "./restore-data.js";
export { restoreDataAll } from "./restore-data-all.js";

/** The data functions, registered with the other built-ins. */
export const dataFunctions = [
  backupData,
  backupDataAll,
  restoreData,
  restoreDataAll,
  copyVolumeData,
  deleteData,
  deleteDataAll,
  backupDataStats,
  checkRepository,
  locationDelete,
] as const;
