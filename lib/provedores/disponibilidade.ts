import "server-only";
import { calcularDisponibilidade } from "../saude/uptime-e-incidentes";
import type { Disponibilidade } from "../schemas/disponibilidade-e-incidentes";
import { buscarLinha, lerId } from "./linha-do-provedor";

export async function obterDisponibilidade(idBruto: string | number): Promise<Disponibilidade> {
  const linha = await buscarLinha(lerId(idBruto));
  return calcularDisponibilidade(linha.id);
}
