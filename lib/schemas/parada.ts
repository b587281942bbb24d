import { z } from "./zod-pt";

/**
 * One stop sequence, wherever a stop list is accepted (a provider's configuration, the /v1 bodies): an empty
 * one matches at once, and llama.cpp would answer nothing, every time.
 */
export const SequenciaDeParada = z
  .string({ error: "stop deve ser um texto ou uma lista de textos." })
  .min(1, "Uma sequência de parada (stop) não pode ser vazia: o servidor pararia antes da primeira palavra.");
