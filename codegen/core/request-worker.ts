import { Worker } from "worker_threads";

/**
 * A worker thread that answers requests by id: `{ id, ...request }` in, `{ id, error }` or `{ id, <answer> }` out
 * (format-worker.js, secret-scan-worker.js). It is referenced only while a request is pending: a worker that stays
 * referenced with nothing to do keeps the process alive after its work is done (synth, plan and drift would never exit
 * when every piece came from the cache). A worker that fails rejects what it had pending and calls `onFailure`.
 */
export class RequestWorker<Answer> {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (answer: Answer) => void; reject: (e: Error) => void }>();
  private nextId = 0;

  constructor(file: string, answerOf: (message: Record<string, unknown>) => Answer, errorPrefix: string, onFailure: () => void) {
    this.worker = new Worker(file);
    this.worker.on("message", (message: { id: number; error?: string } & Record<string, unknown>) => {
      const p = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (this.pending.size === 0) this.worker.unref();
      if (message.error !== undefined) p?.reject(new Error(`${errorPrefix}${message.error}`));
      else p?.resolve(answerOf(message));
    });
    this.worker.on("error", (e) => {
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
      onFailure();
    });
    // Only after the listeners: adding a "message" listener refs the worker's port again.
    this.worker.unref();
  }

  /** Requests waiting for their answer. */
  get busy(): number {
    return this.pending.size;
  }

  /** A message that wants no answer (the worker does not keep the process alive for it). */
  tell(message: object): void {
    this.worker.postMessage(message);
  }

  request(message: object): Promise<Answer> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ ...message, id });
    });
  }

  terminate(): void {
    void this.worker.terminate();
  }
}
