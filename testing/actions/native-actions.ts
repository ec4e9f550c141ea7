/**
 * Native Actions (rules-src/<name>.action.ts) in tests: load the compiled module from generated/ (checked against its
 * manifest sha256, with its declared dependencies as the only packages `require` finds) and run it with an event of
 * its trigger. Post-login runs in the post-login flow (action-runtime.ts: claims, MFA, redirect and continue, SAML,
 * metadata written once after the flow); every other trigger in trigger-runtime.ts.
 */
import { loadAction, loadActionFile, runActionFlow, type ActionFlowResult, type LoadActionOptions, type LoadedAction, type RunActionOptions } from "../action-runtime";
import { generatedDir, readManifest, readVerified, type GeneratedOptions } from "../generated-artifacts";
import { defaultInstalledModules } from "../node-modules";
import type { ManifestNativeAction } from "../../codegen/core/manifest";
import type { PostLoginEvent } from "../types";
import { runTriggerFlow, TRIGGER_HANDLERS, type OtherTrigger, type TriggerFlowResult, type TriggerRunOptions } from "./trigger-runtime";

export type { ManifestNativeAction };

export interface LoadedNativeAction {
  action: LoadedAction;
  entry: ManifestNativeAction;
}

/** The native Action `name` from generated/actions/, with the manifest's trigger and dependencies. */
export function loadGeneratedNativeAction(name: string, options: Omit<LoadActionOptions, "filename" | "dependencies"> & GeneratedOptions = {}): LoadedNativeAction {
  const modules = options.modules ?? defaultInstalledModules();
  const manifest = readManifest({ ...options, modules });
  const entry = (manifest.actions ?? []).find((a) => a.name === name);
  if (!entry) {
    const names = (manifest.actions ?? []).map((a) => a.name).join(", ") || "none";
    throw new Error(`generated/manifest.json has no native Action named '${name}' (it has: ${names}); check the name or run \`npm run generate\``);
  }
  const { text, filename } = readVerified(modules, generatedDir(options, modules), entry.script, entry.sha256);
  return { action: loadAction(text, { ...options, modules, filename, dependencies: entry.dependencies }), entry };
}

export type NativeRunResult = ({ trigger: "post-login" } & ActionFlowResult) | TriggerFlowResult;

export interface NativeRunOptions extends TriggerRunOptions {
  /** post-login only: where the batched metadata is written (see RunActionOptions). */
  auth0Users?: RunActionOptions["auth0Users"];
}

/** Runs Actions of one trigger as a flow, in order, with `event` (see sampleEvent). */
export async function runNativeFlow(trigger: string, actions: LoadedAction[], event: object, options: NativeRunOptions = {}): Promise<NativeRunResult> {
  if (trigger === "post-login") {
    const result = await runActionFlow(actions, event as PostLoginEvent, {
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.cache === undefined ? {} : { cache: options.cache }),
      ...(options.auth0Users === undefined ? {} : { auth0Users: options.auth0Users }),
      ...(options.entry === "continue" ? { entry: "onContinuePostLogin" as const } : {}),
    });
    return { trigger: "post-login", ...result };
  }
  if (!(trigger in TRIGGER_HANDLERS)) throw new TypeError(`runNativeFlow: unknown trigger ${JSON.stringify(trigger)}`);
  return runTriggerFlow(trigger as OtherTrigger, actions, event, options);
}

/** Runs one loaded native Action (from loadGeneratedNativeAction) with `event`. */
export function runNativeAction(loaded: LoadedNativeAction, event: object, options: NativeRunOptions = {}): Promise<NativeRunResult> {
  return runNativeFlow(loaded.entry.trigger, [loaded.action], event, options);
}

export { loadActionFile };
