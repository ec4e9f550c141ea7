/**
 * The confined process's side of confined-runner.ts: loads rules on both targets (loadTargetPair, in this process)
 * and runs logins on request. Every answer is plain data: a LoginResult without `raw`.
 */
import { loadTargetPair, type TargetPair, type TargetPairOptions, type TargetRun } from "./login";
import { InstalledModules } from "./node-modules";
import { trustCertificateAuthority } from "./outbound-http";
import { loadGeneratedNativeAction, runNativeAction } from "./actions/native-actions";

const pairs = new Map<number, TargetPair>();

interface Request {
  id: number;
  op: "open" | "run" | "close" | "native";
  /** op "native": the native Action's event and generated folder. */
  event?: object;
  generatedDir?: string;
  handle: number;
  name?: string;
  projectRoot?: string;
  caPem?: string;
  options?: TargetPairOptions;
  run?: TargetRun;
}

/** Trust the parent's HTTPS stand-ins (their throwaway CA) in this process's default agent (for its lifetime). */
function trust(caPem: string): void {
  trustCertificateAuthority(caPem);
}

/** Runs a native Action once (a new container each time) and answers with its result as plain data. */
async function runNative(request: Request): Promise<unknown> {
  if (request.caPem !== undefined) trust(request.caPem);
  const modules = new InstalledModules(request.projectRoot);
  const loaded = loadGeneratedNativeAction(String(request.name), { generatedDir: request.generatedDir, modules });
  try {
    const { event: _event, executions, error, ...result } = (await runNativeAction(loaded, request.event ?? {})) as unknown as Record<string, unknown> & {
      executions: { outcome: string; logs: { message: string }[] }[];
      error: unknown;
    };
    return JSON.parse(
      JSON.stringify({
        ...result,
        error: error === null || error === undefined ? null : error instanceof Error ? error.message : String(error),
        logs: executions.flatMap((e) => e.logs.map((line) => line.message)),
      }),
    );
  } finally {
    loaded.action.dispose();
  }
}

async function handle(request: Request): Promise<unknown> {
  if (request.op === "native") return runNative(request);
  if (request.op === "open") {
    if (request.caPem !== undefined) trust(request.caPem);
    const modules = new InstalledModules(request.projectRoot);
    pairs.get(request.handle)?.dispose();
    pairs.set(request.handle, loadTargetPair(String(request.name), { ...request.options, modules }));
    return true;
  }
  const pair = pairs.get(request.handle);
  if (pair === undefined) throw new Error(`no rule is open as #${request.handle}`);
  if (request.op === "close") {
    pairs.delete(request.handle);
    await pair.dispose();
    return true;
  }
  const { raw: _raw, requests: _requests, ...result } = await pair.run(request.run!);
  return JSON.parse(JSON.stringify(result));
}

process.on("message", (message: Request) => {
  handle(message).then(
    (value) => process.send?.({ id: message.id, value }),
    (error: unknown) => process.send?.({ id: message.id, error: error instanceof Error ? error.message : String(error) }),
  );
});
// The parent went away: nothing is left to answer.
process.on("disconnect", () => process.exit(0));
