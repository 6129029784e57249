/**
 * The platform's floor under an exec over TLS: what a bare Node TLS connection costs in CPU against
 * a bare TCP connection carrying the same bytes, client and server each in their own process, in
 * the shape of the exec burst (connections opened at once, each resumed with the last TLS session,
 * one shared SecureContext). Each connection exchanges what an exec of `true` exchanges: the
 * upgrade request, then the 101 head, the status frame and the close frame in three writes, the
 * client's close frame, and both ends closing. The difference TLS − TCP, both processes summed, is
 * the per-exec cost of TLS itself, before any exec code runs. In a fan-out's shape (a concurrency
 * limit, the server holding each answer as a command runs) the same connections are spread out in
 * time, as a fan-out's execs are.
 */
import { type ChildProcess, spawn } from "node:child_process";
import net, { type Server, type Socket } from "node:net";
import tls, { type SecureContext } from "node:tls";
import { fileURLToPath } from "node:url";
import { selfSignedCertificate } from "../http/self-signed.js";
import { median } from "./figures.js";

/** How the connections are secured. */
export type FloorMode = "tcp" | "tls" | "tls-x25519";

/** CPU per connection (µs), medians over the rounds. */
export interface FloorFigures {
  clientUs: number;
  serverUs: number;
  /** TLS handshakes that resumed a session / that did not (TLS modes). */
  resumed: number;
  full: number;
}

// What an exec of `true` sends and receives (sizes of the local cluster's answers).
const REQUEST = Buffer.alloc(420, 0x61);
const HEAD = Buffer.alloc(129, 0x62);
const STATUS = Buffer.alloc(68, 0x63);
const CLOSE = Buffer.alloc(4, 0x64);
const CLIENT_CLOSE = Buffer.alloc(8, 0x65);
const ANSWER_BYTES = HEAD.length + STATUS.length + CLOSE.length;

/** A fan-out's shape: at most `concurrency` connections open, each answer held `holdMs` (the command's run). */
export interface FloorShape {
  concurrency: number;
  holdMs: number;
}

type Request = { id: number; reset: boolean };

function serve(mode: FloorMode, cert: string, key: string, holdMs: number): void {
  const onConnection = (socket: Socket) => {
    let got = 0;
    let answered = false;
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => {
      got += chunk.length;
      if (!answered && got >= REQUEST.length) {
        answered = true;
        socket.write(HEAD);
        const answer = () => {
          socket.write(STATUS);
          socket.write(CLOSE);
        };
        if (holdMs > 0) setTimeout(answer, holdMs);
        else setImmediate(answer);
      } else if (answered && got >= REQUEST.length + CLIENT_CLOSE.length) socket.end();
    });
    socket.on("error", () => {});
  };
  // The local cluster's TLS server settings: the certificate and key, Node's defaults otherwise.
  const server: Server =
    mode === "tcp"
      ? net.createServer(onConnection)
      : tls.createServer(
          { cert, key, ...(mode === "tls-x25519" ? { ecdhCurve: "X25519" } : {}) },
          onConnection,
        );
  let cpuFrom = process.cpuUsage();
  server.listen(0, "127.0.0.1", () => {
    process.send?.({ port: (server.address() as { port: number }).port });
  });
  process.on("message", (m: Request) => {
    const cpu = process.cpuUsage(cpuFrom);
    if (m.reset) cpuFrom = process.cpuUsage();
    process.send?.({ id: m.id, cpuMs: (cpu.user + cpu.system) / 1000 });
  });
  process.on("disconnect", () => process.exit(0));
}

if (process.argv[2] === "--serve-connection-floor") {
  const { mode, cert, key, holdMs } = JSON.parse(process.argv[3] ?? "{}") as {
    mode: FloorMode;
    cert: string;
    key: string;
    holdMs: number;
  };
  serve(mode, cert, key, holdMs);
}

interface FloorServer {
  port: number;
  cpuMs(reset: boolean): Promise<number>;
  stop(): void;
}

async function startServer(mode: FloorMode, cert: string, key: string, holdMs: number): Promise<FloorServer> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...process.execArgv,
      fileURLToPath(import.meta.url),
      "--serve-connection-floor",
      JSON.stringify({ mode, cert, key, holdMs }),
    ],
    { stdio: ["ignore", "inherit", "inherit", "ipc"] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the floor server exited with ${code}`)));
    child.once("message", (m: { port: number }) => resolve(m.port));
  });
  let next = 0;
  return {
    port,
    cpuMs: (reset) =>
      new Promise<number>((resolve) => {
        const id = ++next;
        const onMessage = (m: { id?: number; cpuMs?: number }) => {
          if (m.id !== id || m.cpuMs === undefined) return;
          child.off("message", onMessage);
          resolve(m.cpuMs);
        };
        child.on("message", onMessage);
        child.send({ id, reset } satisfies Request);
      }),
    stop: () => {
      child.removeAllListeners("exit");
      child.disconnect();
    },
  };
}

/**
 * Measures bare connections in `mode`: `rounds` bursts of `connections` (after one warm-up burst),
 * each connection exchanging an exec's bytes; all at once, or in a fan-out's `shape`.
 */
export async function measureConnectionFloor(
  mode: FloorMode,
  connections: number,
  rounds: number,
  shape?: FloorShape,
): Promise<FloorFigures> {
  const { cert, key } = selfSignedCertificate();
  const server = await startServer(mode, cert, key, shape?.holdMs ?? 0);
  // As the adapter connects: one context, the last session the server issued offered to the next.
  const context: SecureContext | undefined =
    mode === "tcp"
      ? undefined
      : tls.createSecureContext({ ca: cert, ...(mode === "tls-x25519" ? { ecdhCurve: "X25519" } : {}) });
  let session: Buffer | undefined;
  const readBuffer = Buffer.allocUnsafe(64 * 1024);
  let resumed = 0;
  let full = 0;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      let got = 0;
      // Read as the adapter reads: into one reused buffer (Node's `onread`), no 'data' events.
      const onread = {
        buffer: readBuffer,
        callback: (n: number) => {
          got += n;
          if (got === ANSWER_BYTES) socket.end(CLIENT_CLOSE);
          return true;
        },
      };
      const socket =
        context === undefined
          ? net.connect({ host: "127.0.0.1", port: server.port, onread })
          : tls.connect({
              host: "127.0.0.1",
              port: server.port,
              servername: "",
              secureContext: context,
              ...(session ? { session } : {}),
              onread,
            } as tls.ConnectionOptions);
      if (context) {
        socket.on("session", (s: Buffer) => {
          session = s;
        });
      }
      socket.setNoDelay(true);
      socket.once(context ? "secureConnect" : "connect", () => {
        if (context) {
          if ((socket as tls.TLSSocket).isSessionReused()) resumed++;
          else full++;
        }
        socket.write(REQUEST);
      });
      socket.on("error", reject);
      socket.on("close", () => resolve());
    });
  const burst = async () => {
    if (!shape) return void (await Promise.all(Array.from({ length: connections }, one)));
    let started = 0;
    const worker = async () => {
      while (started < connections) {
        started++;
        await one();
      }
    };
    await Promise.all(Array.from({ length: Math.min(shape.concurrency, connections) }, worker));
  };
  try {
    await one(); // the first, full handshake: its session serves the burst
    await burst();
    resumed = 0;
    full = 0;
    const clients: number[] = [];
    const servers: number[] = [];
    for (let round = 0; round < rounds; round++) {
      await server.cpuMs(true);
      const cpu = process.cpuUsage();
      await burst();
      const used = process.cpuUsage(cpu);
      clients.push((used.user + used.system) / connections);
      servers.push(((await server.cpuMs(false)) * 1000) / connections);
    }
    return { clientUs: median(clients), serverUs: median(servers), resumed, full };
  } finally {
    server.stop();
  }
}
