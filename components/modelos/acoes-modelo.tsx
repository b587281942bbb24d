import type { AcaoModeloGerenciada, ListaModelos, ModeloLLM } from "@/lib/schemas/llm";
import { BotaoComConfirmacao } from "../botao-com-confirmacao";
import { Botao } from "../ui/botao";

type Props = {
  modelo: ModeloLLM;
  acoes: ListaModelos["acoes"];
  /** Another model is being changed: one change at a time. */
  bloqueado: boolean;
  aoGerenciar: (acao: AcaoModeloGerenciada, modelo: string) => Promise<void>;
};

/** What this server lets the user do with one model: load it, unload it, or delete it after a confirmation. */
export function AcoesModelo({ modelo: m, acoes, bloqueado, aoGerenciar }: Props) {
  return (
    <>
      {acoes.carregar && m.carregado !== true ? (
        <Botao forma="texto" disabled={bloqueado} onClick={() => aoGerenciar("carregar", m.modelo)} aria-label={`Carregar ${m.modelo}`}>
          Carregar
        </Botao>
      ) : null}
      {acoes.descarregar && m.carregado === true ? (
        <Botao
          variante="secundario"
          forma="texto"
          disabled={bloqueado}
          onClick={() => aoGerenciar("descarregar", m.modelo)}
          aria-label={`Descarregar ${m.modelo}`}
        >
          Descarregar
        </Botao>
      ) : null}
      {acoes.excluir ? (
        <BotaoComConfirmacao
          rotulo="Excluir"
          ariaLabel={`Excluir ${m.modelo}`}
          titulo={`Excluir "${m.modelo}" do servidor?`}
          texto="O arquivo do modelo será apagado do servidor; para usá-lo de novo será preciso baixá-lo outra vez."
          confirmar="Excluir modelo"
          confirmando="Excluindo…"
          aoConfirmar={() => aoGerenciar("excluir", m.modelo)}
        />
      ) : null}
    </>
  );
}
