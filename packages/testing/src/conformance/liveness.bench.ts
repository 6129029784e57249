/**
 * How long a silent exec connection takes to be detected with the default heartbeat (client-go's:
 * a ping every 5 s, lost after 61 s of silence): a session blackholed mid-stream, and an exec
 * upgrade that is never answered. Each figure is the time from the fault to the coded rejection.
 */
import { DEFAULT_HEARTBEAT_INTERVAL_MS, DEFAULT_HEARTBEAT_TIMEOUT_MS } from "@quiesce/kube";
import { printTable } from "../bench/figures.js";
import { startLocalCluster } from "../index.js";

const lc = await startLocalCluster({ podStartDelayMs: 0, readyDelayMs: 0, namespaces: ["bench"] });
try {
  let stalledAt = 0;
  lc.runtime.onExec({ command: "chatty" }, async (ctx) => {
    await ctx.stdout("first line\n");
    stalledAt = performance.now();
    await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve()));
    return { exitCode: 137 };
  });
  await lc.apply({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "target", namespace: "bench" },
    spec: { containers: [{ name: "main", image: "busybox" }] },
  });
  await lc.cluster.waitFor(
    { version: "v1", resource: "pods", namespace: "bench", name: "target" },
    (p) => (p?.status as { phase?: string } | undefined)?.phase === "Running",
  );
  const target = { namespace: "bench", pod: "target" };
  const outcome = async (run: Promise<unknown>, from: () => number): Promise<[string, string]> => {
    try {
      await run;
      return ["(no failure)", "-"];
    } catch (err) {
      return [
        (err as { code?: string }).code ?? String(err),
        `${((performance.now() - from()) / 1000).toFixed(1)} s`,
      ];
    }
  };

  lc.faults.execFault({ stream: "stdout", afterBytes: 11, action: "stall" });
  const [midCode, midTime] = await outcome(lc.cluster.exec(target, ["chatty"]), () => stalledAt);

  lc.faults.add({ verb: "exec", stall: true });
  const sent = performance.now();
  const [upCode, upTime] = await outcome(lc.cluster.exec(target, ["chatty"]), () => sent);

  printTable(
    `exec liveness, default settings (ping every ${DEFAULT_HEARTBEAT_INTERVAL_MS / 1000} s, lost after ${DEFAULT_HEARTBEAT_TIMEOUT_MS / 1000} s)`,
    [
      [`session blackholed mid-stream → ${midCode}`, midTime],
      [`exec upgrade never answered → ${upCode}`, upTime],
    ],
  );
} finally {
  await lc.stop();
}
