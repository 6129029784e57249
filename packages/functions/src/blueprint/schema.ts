/** The zod model of a Kanister Blueprint (cr.kanister.io/v1alpha1), the single source of truth for its shape. */
import { z } from "zod";

/** A reference to a Kubernetes object in a phase's `objects` (Kanister's CRD requires none of its fields). */
export const ObjectReferenceSchema = z.strictObject({
  apiVersion: z.string().optional(),
  group: z.string().optional(),
  resource: z.string().optional(),
  kind: z.string().optional(),
  name: z.string().optional(),
  namespace: z.string().optional(),
});

/** One phase: a registered function with (templated) arguments. */
export const BlueprintPhaseSchema = z.strictObject({
  func: z.string().min(1, "func names a registered function"),
  // Kanister admits a phase without a name (the name ""); only a name used twice is refused.
  name: z.string().optional(),
  objects: z.record(z.string(), ObjectReferenceSchema).optional(),
  args: z
    .record(z.string(), z.unknown())
    .nullish()
    .transform((v) => v ?? {}),
});

/** An output artifact: key/value pairs and/or a Kopia snapshot, each a template. */
export const ArtifactSchema = z.strictObject({
  keyValue: z.record(z.string(), z.string()).optional(),
  kopiaSnapshot: z.string().optional(),
});

/** One action (backup, restore, delete, or any name). */
export const BlueprintActionSchema = z.strictObject({
  name: z.string().optional(),
  kind: z.string().optional(),
  configMapNames: z.array(z.string()).optional(),
  secretNames: z.array(z.string()).optional(),
  inputArtifactNames: z.array(z.string()).optional(),
  outputArtifacts: z.record(z.string(), ArtifactSchema).optional(),
  phases: z.array(BlueprintPhaseSchema).optional().default([]),
  deferPhase: BlueprintPhaseSchema.optional(),
});

/** A Blueprint document. Metadata is kept as given (Kubernetes adds fields to it). */
export const BlueprintSchema = z.strictObject({
  apiVersion: z.literal("cr.kanister.io/v1alpha1"),
  kind: z.literal("Blueprint"),
  metadata: z.looseObject({
    name: z.string().optional(),
    namespace: z.string().optional(),
    annotations: z.record(z.string(), z.string()).optional(),
    labels: z.record(z.string(), z.string()).optional(),
  }),
  actions: z.record(z.string(), BlueprintActionSchema),
});

export type ObjectReference = z.output<typeof ObjectReferenceSchema>;
export type BlueprintPhase = z.output<typeof BlueprintPhaseSchema>;
export type BlueprintArtifact = z.output<typeof ArtifactSchema>;
export type BlueprintAction = z.output<typeof BlueprintActionSchema>;
export type Blueprint = z.output<typeof BlueprintSchema>;
export type BlueprintInput = z.input<typeof BlueprintSchema>;
