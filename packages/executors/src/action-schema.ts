/** The KubeStash HookTemplate `spec.action` (a Kubernetes-probe-like handler), as a zod schema. */
import { z } from "zod";

// Kubernetes IntOrString: a port number, or a string — an IANA service name (lowercase letters,
// digits and dashes, at most 15 characters) or digits — that the executor resolves in the action's
// container as KubeStash's prober does (actions/ports.ts).
const portNumber = z.number().int().min(1, "a port is 1..65535").max(65535, "a port is 1..65535");
const portName = z
  .string()
  .regex(
    /^(\d+|[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?)$/,
    "expected a port number or a named port (lowercase letters, digits and '-', at most 15 characters)",
  );

/** A port number or a named container port. */
export const portSchema = z.union([portNumber, portName]);

/** One request header (HTTP allows repeated headers). */
export const httpHeaderSchema = z.strictObject({
  name: z.string().min(1, "a header name cannot be empty"),
  value: z.string(),
});

/** `action.exec`: an argv array run in the container (no shell is added). */
export const execActionSchema = z.strictObject({
  command: z.array(z.string()).min(1, "exec.command needs at least one element (argv[0])"),
});

/** `action.httpGet` (Kubernetes HTTPGetAction). */
export const httpGetActionSchema = z.strictObject({
  host: z.string().min(1).optional(),
  port: portSchema,
  path: z.string().optional(),
  // A free string in KubeStash's CRD; kmodules.xyz/prober probe/prober.go lower-cases it, so `http`
  // and `Https` work too. Another scheme fails when the request is made (actions/http.ts).
  scheme: z.string().optional(),
  httpHeaders: z.array(httpHeaderSchema).optional(),
});

/** An `httpPost.form` entry: a key with one or more values, sent url-encoded. */
export const formEntrySchema = z.strictObject({
  key: z.string().min(1, "a form key cannot be empty"),
  values: z.array(z.string()).optional(),
});

/** `action.httpPost` (kmodules prober HTTPPostAction): httpGet's fields plus `body` or `form`. */
export const httpPostActionSchema = z
  .strictObject({
    ...httpGetActionSchema.shape,
    body: z.string().optional(),
    form: z.array(formEntrySchema).optional(),
  })
  .refine((p) => p.body === undefined || p.form === undefined, {
    message: "httpPost takes either body or form, not both",
    path: ["form"],
  });

/** `action.tcpSocket`: succeeds when the port accepts a connection. */
export const tcpSocketActionSchema = z.strictObject({
  host: z.string().min(1).optional(),
  port: portSchema,
});

/** The handlers of an action, in the order KubeStash's prober runs them (probe/prober.go executeProbe). */
export const ACTION_HANDLERS = [
  "exec",
  "httpGet",
  "httpPost",
  "tcpSocket",
] as const satisfies readonly ActionKind[];

/** One handler of an action. */
export type ActionHandler = (typeof ACTION_HANDLERS)[number];

/**
 * The handler kinds of an action; `none` for a Function executor's hook that declares no action
 * (the Function's container is the hook).
 */
export type ActionKind = "exec" | "httpGet" | "httpPost" | "tcpSocket" | "none";

/**
 * `spec.action` of a HookTemplate (kmodules.xyz/prober Handler): `exec`, `httpGet`, `httpPost`,
 * `tcpSocket` — one or several — plus `containerName` (the container to exec in, or whose named
 * ports resolve `port`). Several handlers run one after the other in that order, and the first
 * that fails ends the action, as the prober's executeProbe runs them. Field names mirror KubeStash
 * exactly; unknown keys are rejected. An action without a handler is refused: KubeStash would run
 * nothing and report success, which for a freeze or thaw hook is a mistake best caught early.
 *
 * @example
 * ```ts
 * const action = actionSchema.parse({ exec: { command: ["/bin/sh", "-c", "sync"] }, containerName: "db" });
 * ```
 */
export const actionSchema = z
  .strictObject({
    exec: execActionSchema.optional(),
    httpGet: httpGetActionSchema.optional(),
    httpPost: httpPostActionSchema.optional(),
    tcpSocket: tcpSocketActionSchema.optional(),
    containerName: z.string().min(1).optional(),
  })
  .superRefine((action, ctx) => {
    if (actionHandlers(action).length === 0) {
      ctx.addIssue({
        code: "custom",
        message:
          "an action needs a handler: exec, httpGet, httpPost or tcpSocket (found none; KubeStash would run nothing)",
      });
    }
  });

/** A validated action. */
export type Action = z.infer<typeof actionSchema>;
/** `action.exec`. */
export type ExecAction = z.infer<typeof execActionSchema>;
/** `action.httpGet`. */
export type HttpGetAction = z.infer<typeof httpGetActionSchema>;
/** `action.httpPost`. */
export type HttpPostAction = z.infer<typeof httpPostActionSchema>;
/** `action.tcpSocket`. */
export type TcpSocketAction = z.infer<typeof tcpSocketActionSchema>;
/** A port number or a named port. */
export type Port = z.infer<typeof portSchema>;

/** The handlers an action carries, in the prober's order. */
export function actionHandlers(action: Partial<Record<ActionHandler, unknown>>): ActionHandler[] {
  return ACTION_HANDLERS.filter((k) => action[k] !== undefined);
}

/**
 * The (first) handler an (already validated) action carries; `none` for the empty action of a
 * Function hook.
 */
export function actionKind(action: Action): ActionKind {
  return actionHandlers(action)[0] ?? "none";
}
