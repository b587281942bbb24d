"use client";

import { useRouter } from "next/navigation";
import type { ServidorDoModelo } from "@/lib/schemas/catalogo";
import type { AcaoModeloGerenciada, ModeloLLM } from "@/lib/schemas/llm";
import { AcoesModelo } from "../modelos/acoes-modelo";
import { gerenciarModeloPelaApi } from "../modelos/gerenciar-modelo-pela-api";
import { useAviso } from "../toast";
import { useAcaoServidor } from "../ui/use-acao-servidor";

const FEITO: Partial<Record<AcaoModeloGerenciada, string>> = { carregar: "carregado", descarregar: "descarregado" };

/**
 * Load or unload one model on one server from the catalogue: the Modelos tab's buttons and REST calls
 * (components/modelos), then the page is read again. Deleting stays on the server's own tab.
 */
export function AcoesNoServidor({ servidor: s }: { servidor: ServidorDoModelo }) {
  const router = useRouter();
  const avisar = useAviso();
  const gestao = useAcaoServidor(gerenciarModeloPelaApi, {
    aoConcluir: (_lista, _id, acao, { modelo }) => {
      avisar(`Modelo "${modelo}" ${FEITO[acao] ?? acao} em ${s.nome}.`);
      router.refresh();
    },
  });
  if (!s.acoes.carregar && !s.acoes.descarregar) return null;
  const modelo: ModeloLLM = {
    modelo: s.modelo,
    nome: s.modelo,
    tamanho_bytes: null,
    familia: null,
    parametros: null,
    quantizacao: null,
    contexto_max: null,
    carregado: s.carregado,
    detalhes: null,
  };
  return (
    <AcoesModelo
      modelo={modelo}
      acoes={{ ...s.acoes, baixar: false, cancelar_download: false, excluir: false }}
      bloqueado={gestao.pendente}
      aoGerenciar={async (acao, m) => {
        await gestao.executar(s.provedor_id, acao, { modelo: m });
      }}
    />
  );
}
