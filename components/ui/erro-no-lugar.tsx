/** A failure shown where it happened (above a form, under a button), announced as it appears. */
export function ErroNoLugar({ mensagem }: { mensagem: string | null | undefined }) {
  if (!mensagem) return null;
  return (
    <p role="alert" className="rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-800">
      {mensagem}
    </p>
  );
}
