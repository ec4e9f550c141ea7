import type { Socket } from "net";

/*
 * What a command and the compile server say to each other over the server's socket: one JSON object per line.
 */

export type ServerRequest =
  /** Run `generate` (or `generate --check`) and answer with its report and exit code. */
  | { kind: "run"; fingerprint: string; check: boolean; timings: boolean; clientMs: number }
  | { kind: "status" }
  | { kind: "stop" };

export type ServerAnswer =
  /** The command's report, in the order it was printed, and its exit code. */
  | { kind: "result"; code: number; lines: ["out" | "err", string][] }
  /** The server runs another compiler (or Node, or settings) than the command: it exits without compiling. */
  | { kind: "stale"; fingerprint: string }
  | { kind: "status"; pid: number; root: string; fingerprint: string; ready: boolean; startedAt: string; idleExitSeconds: number }
  | { kind: "stopping"; pid: number };

export function send(socket: Socket, message: ServerRequest | ServerAnswer): void {
  socket.write(`${JSON.stringify(message)}\n`);
}

/** Calls `onMessage` for each line's JSON object (a line that is not JSON ends the connection). */
export function onMessages<T>(socket: Socket, onMessage: (message: T) => void): void {
  let buffered = "";
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => {
    buffered += chunk;
    let end: number;
    while ((end = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      let message: T;
      try {
        message = JSON.parse(line) as T;
      } catch {
        socket.destroy();
        return;
      }
      onMessage(message);
    }
  });
}
