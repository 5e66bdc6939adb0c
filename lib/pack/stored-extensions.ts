// Files that are already compressed: deflating them again costs time and saves nothing, so they are
// stored as they are.
const ALREADY_COMPRESSED = new Set([
  '7z',
  'apk',
  'avif',
  'br',
  'bz2',
  'docx',
  'ear',
  'gif',
  'gz',
  'heic',
  'jar',
  'jpeg',
  'jpg',
  'lz',
  'lz4',
  'lzma',
  'm4a',
  'm4v',
  'mkv',
  'mov',
  'mp3',
  'mp4',
  'mpg',
  'nupkg',
  'odt',
  'ogg',
  'opus',
  'png',
  'rar',
  'tbz',
  'tgz',
  'txz',
  'war',
  'webm',
  'webp',
  'whl',
  'woff',
  'woff2',
  'xlsx',
  'xz',
  'zip',
  'zst',
]);

export function isAlreadyCompressed(path: string): boolean {
  const dot = path.lastIndexOf('.');
  if (dot < 0 || dot < path.lastIndexOf('/')) return false;
  return ALREADY_COMPRESSED.has(path.slice(dot + 1).toLowerCase());
}
