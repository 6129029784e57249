/**
 * The hook journal: what succeeded in an operation, so that a host retrying the same operation
 * never runs a succeeded K10 hook again (and still gets its output artifacts).
 */
import { randomUUID } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
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
 * A journal in one JSON file, rewritten atomically (write + rename) on every record, so a host
 * process that restarts can resume an operation without re-running succeeded hooks. Writes are
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
        await mkdir(dirname(this.#path), { recursive: true });
        const tmp = `${this.#path}.${process.pid}.${randomUUID()}.tmp`;
        await writeFile(tmp, `${JSON.stringify(data, null, 2)}\n`, "utf8");
        await rename(tmp, this.#path);
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
