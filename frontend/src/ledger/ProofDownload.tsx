import { Trans, useTranslation } from 'react-i18next';

/** The name a downloaded proof is saved under: the entry's index, and the extension `godown verify --proof` is shown with. */
export function proofFileName(index: number): string {
  return `godown-entry-${index}.tlog-proof`;
}

/**
 * Saves the node's `c2sp.org/tlog-proof@v1` text as a file, byte for byte:
 * `godown verify` refuses a note with so much as an extra newline, so the
 * text is neither trimmed nor re-encoded.
 */
export function saveProofFile(index: number, tlogProof: string): void {
  const url = URL.createObjectURL(new Blob([tlogProof], { type: 'text/plain;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = proofFileName(index);
  // Some browsers follow only a link that is in the document.
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // Following the link took hold of the Blob; the URL goes on the next task, for a browser that reads it a moment later.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** A link-styled button that saves one entry's proof file. */
export function ProofDownload({ index, tlogProof }: { index: number; tlogProof: string }) {
  const { t } = useTranslation();
  return (
    <button type="button" className="link" data-testid={`proof-download-${index}`} onClick={() => saveProofFile(index, tlogProof)}>
      {t('proof.download')}
    </button>
  );
}

/** What a downloaded proof file is for: checking the entry offline, trusting only the keys given to `godown verify`. */
export function ProofDownloadHint() {
  return (
    <p className="hint" data-testid="proof-download-hint">
      <Trans
        i18nKey="proof.downloadHint"
        values={{
          command: 'godown verify --proof FILE --policy consortium.policy',
          keys: '--log-vkey … --witness-vkey …',
        }}
        components={{ code: <code /> }}
      />
    </p>
  );
}
