// The closeout's public face: what its siblings (the client portal) and the composition root may
// read of it. Nothing here reaches the vault: the closeout package never carries a secret.
export { FILE_TAGS, type FileTag } from './domain/file-tag.js';
export { DownloadQuery, FILE_CONTENT, FileVersionParam, sendFileVersion } from './file-download.js';
export { clientPackageRecordsOf } from './use-cases/client-package-records.js';
export { type LatestFile, latestFilesOf } from './use-cases/latest-files.js';
export { openEngagementFileVersion } from './use-cases/open-file-version.js';
