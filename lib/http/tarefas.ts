import { comoErroApp } from "../errors";

/**
 * The work a request handed its front door to finish after the answer (`pedido.depois`): each task, also those
 * added while the first were running, is awaited; one that fails is logged and does not hold the others.
 */
export class TarefasDepois {
  private readonly tarefas: Promise<void>[] = [];

  readonly adicionar = (tarefa: Promise<void>): void => {
    this.tarefas.push(tarefa);
  };

  async esperar(): Promise<void> {
    for (let i = 0; i < this.tarefas.length; i++) {
      await this.tarefas[i]!.catch((e: unknown) => void comoErroApp(e));
    }
  }
}
