/**
 * One serving worker thread (see main.ts): `{type: "start", name}` opens its own
 * database connection and serves on the shared port; `{type: "stop"}` drains and
 * closes. The database was migrated and seeded before any worker started.
 */
/// <reference lib="deno.worker" />
import { loadConfig } from "./config.ts";
import { type RunningServer, serveApp } from "./server.ts";

let running: RunningServer | undefined;

type Message = {
  type: "start" | "stop";
  name?: string;
  maintenance?: boolean;
  hashConcurrency?: number;
};

self.onmessage = async (event: MessageEvent<Message>) => {
  if (event.data.type === "start") {
    try {
      const config = loadConfig(Deno.env.toObject());
      running = await serveApp(config, {
        worker: event.data.name,
        reusePort: true,
        maintenance: event.data.maintenance,
        hashConcurrency: event.data.hashConcurrency,
      });
      self.postMessage({ type: "listening" });
    } catch (err) {
      self.postMessage({
        type: "failed",
        message: err instanceof Error ? err.message : String(err),
      });
    }
  } else if (event.data.type === "stop") {
    await running?.stop();
    self.postMessage({ type: "stopped" });
    self.close();
  }
};
