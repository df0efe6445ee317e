import type { LocalFile } from './local.js';

/** Files picked with an <input type="file"> (with webkitdirectory: their paths in the folder). */
export function fromFileList(files: Iterable<File>): LocalFile[] {
  return [...files].map((file) => localFile(file.webkitRelativePath || file.name, file));
}

/** Files and folders dropped on the page, folders walked recursively. */
export async function fromDrop(transfer: DataTransfer): Promise<LocalFile[]> {
  const entries = [...transfer.items]
    .map((item) => item.webkitGetAsEntry?.())
    .filter((e): e is FileSystemEntry => !!e);
  if (entries.length === 0) return fromFileList(transfer.files);
  const out: LocalFile[] = [];
  const walk = async (entry: FileSystemEntry): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((resolve, reject) =>
        (entry as FileSystemFileEntry).file(resolve, reject),
      );
      out.push(localFile(entry.fullPath.replace(/^\//, ''), file));
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      // readEntries hands out a directory in batches until it returns an empty one.
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
          reader.readEntries(resolve, reject),
        );
        if (batch.length === 0) break;
        for (const child of batch) await walk(child);
      }
    }
  };
  for (const entry of entries) await walk(entry);
  return out;
}

function localFile(path: string, file: File): LocalFile {
  return { path, size: file.size, text: () => file.text(), blob: file };
}
