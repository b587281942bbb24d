import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { doProcesso } from "./unico-por-processo";

/**
 * This process among the app's instances sharing one database: who holds the monitor's lease, whose in-flight
 * count a row is. New at every start, so a restarted instance never inherits a dead one's rows.
 */
export function idDaInstancia(): string {
  return doProcesso("idDaInstancia", () => `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`);
}
