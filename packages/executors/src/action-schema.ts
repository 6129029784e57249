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
  scheme: z.enum(["HTTP", "HTTPS"]).optional(),
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

const HANDLERS = ["exec", "httpGet", "httpPost", "tcpSocket"] as const satisfies readonly ActionKind[];

/**
 * The handler kinds of an action; `none` for a Function executor's hook that declares no action
 * (the Function's container is the hook).
 */
export type ActionKind = "exec" | "httpGet" | "httpPost" | "tcpSocket" | "none";

/**
 * `spec.action` of a HookTemplate: exactly one of `exec`, `httpGet`, `httpPost`, `tcpSocket`,
 * plus `containerName` (the container to exec in, or whose named ports resolve `port`).
 * Field names mirror KubeStash (kmodules.xyz/prober Handler) exactly; unknown keys are rejected.
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
    const present = HANDLERS.filter((k) => action[k] !== undefined);
    if (present.length === 0) {
      ctx.addIssue({
        code: "custom",
        message: "an action needs exactly one of exec, httpGet, httpPost, tcpSocket (found none)",
      });
    } else if (present.length > 1) {
      ctx.addIssue({
        code: "custom",
        message: `an action takes exactly one of exec, httpGet, httpPost, tcpSocket (found ${present.join(" and ")})`,
        path: [present[1] as string],
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

/** Which handler an (already validated) action carries; `none` for the empty action of a Function hook. */
export function actionKind(action: Action): ActionKind {
  for (const k of HANDLERS) if (action[k] !== undefined) return k;
  return "none";
}
