import "server-only";
import { listarModelosProvedor } from "../provedores/cache-de-modelos";
import { lerId } from "../provedores/linha-do-provedor";

/** The models the form offers: the provider's cached list (filled from the server when never asked), loaded first. */
export async function modelosParaBenchmark(provedorId: number): Promise<{ id: string; carregado: boolean | null }[]> {
  const lista = await listarModelosProvedor(lerId(provedorId));
  return lista.modelos.map((m) => ({ id: m.modelo, carregado: m.carregado }));
}
