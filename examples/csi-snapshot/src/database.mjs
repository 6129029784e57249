#!/usr/bin/env node
// The example's "database": it accepts an order every few milliseconds and appends it to a journal
// on its volume — except while frozen, when it keeps accepting orders but holds them in memory, and
// writes them out when thawed. Plain JavaScript: the process runtime starts it with the Node binary
// itself, as a container would start its entrypoint.
//
//   database.mjs serve   --data-dir DIR --control-dir DIR [--interval-ms 3]
//   database.mjs freeze  --control-dir DIR [--timeout-ms 5000]   ask for a freeze, wait for the acknowledgement
//   database.mjs thaw    --control-dir DIR [--timeout-ms 5000]   lift it, wait until the held orders are written
//   database.mjs status  --control-dir DIR                       the server's state as JSON
//   database.mjs inspect --data-dir DIR                          a journal's last record, as Kanister phase outputs
//
// The control directory (requests, acknowledgements, status) is outside the data volume: while
// frozen, nothing on the volume changes.
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";

const JOURNAL = "journal.log";
const [command, ...rest] = process.argv.slice(2);
const options = {};
for (let i = 0; i < rest.length; i++) {
  const arg = rest[i];
  const eq = arg.indexOf("=");
  if (!arg.startsWith("--")) fail(`unexpected argument ${JSON.stringify(arg)}`);
  if (eq > 0) options[arg.slice(2, eq)] = arg.slice(eq + 1);
  else options[arg.slice(2)] = rest[++i];
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

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(predicate, what) {
  const deadline = Date.now() + Number(options["timeout-ms"] ?? 5000);
  while (!predicate()) {
    if (Date.now() > deadline) fail(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

function writeJson(file, value) {
  writeFileSync(`${file}.tmp`, `${JSON.stringify(value)}\n`);
  renameSync(`${file}.tmp`, file);
}

const readJson = (file) => (existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : undefined);

function records(file) {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => Number(line.split("\t")[0]));
}

function serve() {
  const data = required("data-dir");
  const control = required("control-dir");
  mkdirSync(data, { recursive: true });
  mkdirSync(control, { recursive: true });
  const journal = join(data, JOURNAL);
  let seq = records(journal).at(-1) ?? 0;
  let durable = seq;
  const held = [];
  const fd = openSync(journal, "a");
  const append = (lines) => {
    writeSync(fd, lines.join(""));
    fsyncSync(fd);
  };
  const tick = () => {
    seq += 1;
    const line = `${seq}\t${new Date().toISOString()}\torder-${seq}\n`;
    const frozen = existsSync(join(control, "FROZEN"));
    if (frozen) {
      held.push(line);
      if (!existsSync(join(control, "FROZEN.ack"))) {
        writeJson(join(control, "FROZEN.ack"), { record: durable, at: new Date().toISOString() });
      }
    } else {
      if (held.length > 0) append(held.splice(0)); // thawed: the held orders first, in order
      append([line]);
      durable = seq;
      rmSync(join(control, "FROZEN.ack"), { force: true });
    }
    writeJson(join(control, "status.json"), { frozen, durable, held: held.length });
  };
  const timer = setInterval(tick, Number(options["interval-ms"] ?? 3));
  const stop = () => {
    clearInterval(timer);
    closeSync(fd);
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

async function freeze() {
  const control = required("control-dir");
  rmSync(join(control, "FROZEN.ack"), { force: true });
  writeFileSync(join(control, "FROZEN"), `${new Date().toISOString()}\n`);
  await waitFor(() => existsSync(join(control, "FROZEN.ack")), "the freeze to be acknowledged");
  const ack = readJson(join(control, "FROZEN.ack"));
  process.stdout.write(`frozen at record ${ack.record} at ${ack.at}\n`);
}

async function thaw() {
  const control = required("control-dir");
  rmSync(join(control, "FROZEN"), { force: true });
  await waitFor(() => !existsSync(join(control, "FROZEN.ack")), "the held orders to be written");
  const status = readJson(join(control, "status.json"));
  process.stdout.write(`thawed: writing again at record ${status.durable}\n`);
}

function status() {
  process.stdout.write(`${JSON.stringify(readJson(join(required("control-dir"), "status.json")) ?? {})}\n`);
}

function inspect() {
  const seqs = records(join(required("data-dir"), JOURNAL));
  process.stdout.write(
    `###Phase-output###: ${JSON.stringify({ key: "records", value: String(seqs.length) })}\n`,
  );
  process.stdout.write(
    `###Phase-output###: ${JSON.stringify({ key: "lastRecord", value: String(seqs.at(-1) ?? 0) })}\n`,
  );
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
  case "status":
    status();
    break;
  case "inspect":
    inspect();
    break;
  default:
    fail(`unknown command ${JSON.stringify(command)} (serve, freeze, thaw, status, inspect)`);
}
