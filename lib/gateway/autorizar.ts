import "server-only";
import type { PedidoModelo } from "./pedido";

/**
 * The authorise stage: whether this caller may make this call. Today the front door's gate (AUTH_TOKEN) is the
 * whole check and nothing more is asked here; per-client keys and their limits plug in at this point, before
 * any provider is picked. Synchronous on purpose: the hot path pays no await for an empty check.
 */
export function autorizar(_pedido: PedidoModelo): void {}
