import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Where checkpoints are published on disk: DATA_DIR/checkpoints/<tenant id>/. */
export function checkpointDir(dataDir: string, tenantId: string): string {
  return path.join(dataDir, 'checkpoints', tenantId);
}

// Zero-padded so a directory listing sorts by tree size.
const fileName = (treeSize: number) => `${String(treeSize).padStart(16, '0')}.checkpoint`;

function writeAtomically(file: string, text: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  // Checkpoints and verifier keys are public by design: world-readable so other tools can copy them.
  writeFileSync(temp, text, { mode: 0o644 });
  renameSync(temp, file);
}

/**
 * Writes a signed checkpoint to DATA_DIR/checkpoints/<tenant>/<size>.checkpoint and `latest`, and
 * the verifier keys beside them, so a copy outside the database exists for `vigil audit verify`
 * and for anyone who mirrors the directory.
 */
export function publishCheckpointFile(
  dataDir: string,
  checkpoint: { tenantId: string; treeSize: number; note: string },
  verifierKeys: readonly string[],
): string {
  const dir = checkpointDir(dataDir, checkpoint.tenantId);
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const file = path.join(dir, fileName(checkpoint.treeSize));
  writeAtomically(file, checkpoint.note);
  writeAtomically(path.join(dir, 'latest.checkpoint'), checkpoint.note);
  writeAtomically(path.join(dataDir, 'checkpoints', 'verifier.keys'), `${verifierKeys.join('\n')}\n`);
  return file;
}

/** Signed notes published for a tenant on this node's disk, in tree-size order. */
export function readPublishedCheckpoints(
  dataDir: string,
  tenantId: string,
): { file: string; note: string }[] {
  const dir = checkpointDir(dataDir, tenantId);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /^\d{16}\.checkpoint$/.test(n));
  } catch {
    return [];
  }
  return names.sort().map((name) => {
    const file = path.join(dir, name);
    return { file, note: readFileSync(file, 'utf8') };
  });
}
