#!/usr/bin/env node
// The demo's "database": a tiny journal-appending process, plus the control commands its hooks run.
// Plain JavaScript on purpose: the local cluster's process runtime starts it with the Node binary
// itself (no loader), exactly as a container would start its entrypoint.
//
//   database.mjs serve   --data-dir DIR [--interval-ms 4]   append a record every few ms unless frozen
//   database.mjs freeze  --data-dir DIR [--timeout-ms 5000]  ask for a freeze, wait for the acknowledgement
//   database.mjs thaw    --data-dir DIR [--timeout-ms 5000]  lift the freeze, wait until writes resume
//   database.mjs restore --from DIR --into DIR               copy a backup into mounted claims (one dir per claim)
//
// The freeze protocol: `freeze` creates FROZEN; the server, which checks for it before every write,
// flushes the journal and answers with FROZEN.ack (holding its last sequence number). After the
// acknowledgement the journal does not change until FROZEN is removed.
import { createHash } from "node:crypto";
import {
  appendFileSync,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";

const JOURNAL = "journal.log";
const FROZEN = "FROZEN";
const ACK = "FROZEN.ack";

const [command, ...rest] = process.argv.slice(2);
const options = parseOptions(rest);

function parseOptions(args) {
  const out = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith("--")) fail(`unexpected argument ${JSON.stringify(arg)}`);
    const eq = arg.indexOf("=");
    if (eq > 0) out[arg.slice(2, eq)] = arg.slice(eq + 1);
    else out[arg.slice(2)] = args[++i];
  }
  return out;
}

function fail(message) {
  process.stderr.write(`database: ${message}\n`);
  process.exit(2);
}

function required(name) {
  const value = options[name];
  if (value === undefined || value === "") fail(`--${name} is required`);
  return value;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(predicate, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(2);
  }
}

function lastSequence(file) {
  if (!existsSync(file)) return 0;
  const lines = readFileSync(file, "utf8").trimEnd().split("\n");
  for (let i = lines.length - 1; i >= 0; i--) {
    const seq = Number(/^(\d+)\t/.exec(lines[i] ?? "")?.[1]);
    if (Number.isInteger(seq)) return seq;
  }
  return 0;
}

function serve() {
  const dir = required("data-dir");
  const intervalMs = Number(options["interval-ms"] ?? 4);
  const pod = process.env.POD_NAME ?? "db";
  mkdirSync(dir, { recursive: true });
  const journal = join(dir, JOURNAL);
  let seq = lastSequence(journal);
  process.stdout.write(`${pod}: serving ${dir}, journal at record ${seq}\n`);
  const tick = () => {
    const frozen = existsSync(join(dir, FROZEN));
    if (frozen) {
      if (!existsSync(join(dir, ACK))) {
        // Flush what was written, then acknowledge: nothing is written until FROZEN goes away.
        if (existsSync(journal)) {
          const fd = openSync(journal, "r+");
          fsyncSync(fd);
          closeSync(fd);
        }
        writeFileSync(join(dir, ACK), `${seq}\n`);
        process.stdout.write(`${pod}: frozen at record ${seq}\n`);
      }
      return;
    }
    if (existsSync(join(dir, ACK))) {
      rmSync(join(dir, ACK), { force: true });
      process.stdout.write(`${pod}: thawed at record ${seq}\n`);
    }
    seq += 1;
    appendFileSync(journal, `${seq}\t${pod}\t${new Date().toISOString()}\tstock-update sku-${seq % 97}\n`);
  };
  const timer = setInterval(tick, intervalMs);
  const stop = () => {
    clearInterval(timer);
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

async function freeze() {
  const dir = required("data-dir");
  const timeoutMs = Number(options["timeout-ms"] ?? 5000);
  writeFileSync(join(dir, FROZEN), `${new Date().toISOString()}\n`);
  await waitFor(() => existsSync(join(dir, ACK)), timeoutMs, "the database to acknowledge the freeze");
  const seq = readFileSync(join(dir, ACK), "utf8").trim();
  process.stdout.write(`frozen: ${dir} acknowledged at record ${seq}\n`);
}

async function thaw() {
  const dir = required("data-dir");
  const timeoutMs = Number(options["timeout-ms"] ?? 5000);
  rmSync(join(dir, FROZEN), { force: true });
  await waitFor(() => !existsSync(join(dir, ACK)), timeoutMs, "the database to resume writing");
  process.stdout.write(`thawed: ${dir} writing again\n`);
}

function digest(file) {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

function restore() {
  const from = required("from");
  const into = required("into");
  const claims = readdirSync(into).sort();
  if (claims.length === 0) fail(`no claims mounted under ${into}`);
  for (const claim of claims) {
    const source = join(from, claim);
    if (!existsSync(source) || !statSync(source).isDirectory()) fail(`the backup has no data for ${claim}`);
    const target = join(into, claim);
    for (const name of readdirSync(target)) rmSync(join(target, name), { recursive: true, force: true });
    let records = 0;
    for (const name of readdirSync(source)) {
      writeFileSync(join(target, name), readFileSync(join(source, name)));
      if (digest(join(target, name)) !== digest(join(source, name))) fail(`${claim}/${name}: copy differs`);
      if (name === JOURNAL) records = lastSequence(join(target, name));
    }
    process.stdout.write(`restored ${claim}: ${records} records\n`);
    // Kanister's phase-output protocol: the Blueprint runner picks these lines up as phase outputs.
    process.stdout.write(
      `###Phase-output###: ${JSON.stringify({ key: `${claim}`, value: String(records) })}\n`,
    );
  }
}

switch (command) {
  case "serve":
    serve();
    break;
  case "freeze":
    await freeze();
    break;
  case "thaw":
    await thaw();
    break;
  case "restore":
    restore();
    break;
  default:
    fail(`unknown command ${JSON.stringify(command)} (serve, freeze, thaw, restore)`);
}
