/**
 * The hook journal: what succeeded in an operation, so that a host retrying the same operation
 * never runs a succeeded K10 hook again (and still gets its output artifacts).
 */
import { randomUUID } from "node:crypto";
import { mkdir, open, readFile, rename } from "node:fs/promises";
import { dirname } from "node:path";
import { ErrorCodes, QuiesceError } from "@quiesce/core";

/** An output artifact as Kanister's templates see it (`.ArtifactsIn.<name>.KeyValue.<key>`). */
export interface Artifact {
  KeyValue?: Record<string, string>;
  KopiaSnapshot?: string;
}

/** What the journal keeps about a succeeded hook. */
export interface JournalEntry {
  status: "succeeded";
  finishedAt: string;
  outputs: Record<string, unknown>;
  artifacts: Record<string, Artifact>;
}

/** Persists succeeded hooks per operation; keys are `<phase>/<namespace>/<hook name>`. */
export interface HookJournal {
  get(operationId: string, key: string): Promise<JournalEntry | undefined>;
  record(operationId: string, key: string, entry: JournalEntry): Promise<void>;
}

/**
 * A journal in memory: enough for retries inside one process.
 *
 * @example
 * ```ts
 * const journal = new InMemoryHookJournal();
 * await runWithHooks({ cluster, subject, operationId: "backup-42", journal, hooks }, step);
 * ```
 */
export class InMemoryHookJournal implements HookJournal {
  readonly #entries = new Map<string, Map<string, JournalEntry>>();

  async get(operationId: string, key: string): Promise<JournalEntry | undefined> {
    return structuredClone(this.#entries.get(operationId)?.get(key));
  }

  async record(operationId: string, key: string, entry: JournalEntry): Promise<void> {
    const op = this.#entries.get(operationId) ?? new Map<string, JournalEntry>();
    op.set(key, structuredClone(entry));
    this.#entries.set(operationId, op);
  }
}

type FileShape = Record<string, Record<string, JournalEntry>>;

/**
 * A journal in one JSON file, rewritten atomically on every record — written to a temporary file,
 * fsynced, renamed over the journal, and the directory fsynced — so a host process (or machine)
 * that restarts can resume an operation without re-running succeeded hooks. Writes are
 * serialised within one instance; use one instance per file (it does not lock across processes).
 *
 * @example
 * ```ts
 * const journal = new JsonFileHookJournal("/var/lib/backup/hooks-journal.json");
 * ```
 */
export class JsonFileHookJournal implements HookJournal {
  readonly #path: string;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(path: string) {
    this.#path = path;
  }

  async get(operationId: string, key: string): Promise<JournalEntry | undefined> {
    await this.#queue.catch(() => {});
    return (await this.#read())[operationId]?.[key];
  }

  record(operationId: string, key: string, entry: JournalEntry): Promise<void> {
    // Records are serialised so concurrent hooks (one per namespace) never lose each other's writes.
    const next = this.#queue
      .catch(() => {})
      .then(async () => {
        const data = await this.#read();
        data[operationId] = { ...(data[operationId] ?? {}), [key]: entry };
        const dir = dirname(this.#path);
        await mkdir(dir, { recursive: true });
        const tmp = `${this.#path}.${process.pid}.${randomUUID()}.tmp`;
        // Durable before it counts: the new file's data reaches the disk before it replaces the old
        // one, and the rename itself (the directory entry) before the record is reported done — a
        // power loss or kernel crash then leaves the old journal or the new, never an empty file.
        const file = await open(tmp, "w");
        try {
          await file.writeFile(`${JSON.stringify(data, null, 2)}\n`, "utf8");
          await file.sync();
        } finally {
          await file.close();
        }
        await rename(tmp, this.#path);
        await syncDirectory(dir);
      });
    this.#queue = next;
    return next;
  }

  async #read(): Promise<FileShape> {
    let text: string;
    try {
      text = await readFile(this.#path, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return {};
      throw err;
    }
    try {
      return JSON.parse(text) as FileShape;
    } catch (cause) {
      throw new QuiesceError(ErrorCodes.VALIDATION, `hook journal ${this.#path} is not valid JSON`, {
        cause,
      });
    }
  }
}

// Some file systems and platforms cannot fsync a directory (Windows cannot open one): the rename
// is then as durable as they make it.
const UNSYNCABLE_DIRECTORY = new Set(["EISDIR", "EINVAL", "EPERM", "EACCES", "ENOTSUP", "EBADF"]);

async function syncDirectory(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, "r");
    await handle.sync();
  } catch (err) {
    if (!UNSYNCABLE_DIRECTORY.has((err as NodeJS.ErrnoException).code ?? "")) throw err;
  } finally {
    await handle?.close();
  }
}
