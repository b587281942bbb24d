import "server-only";

// The settings are the contract's (a form shows what is in force): lib/schemas/fila.ts.
export * from "../schemas/fila";
