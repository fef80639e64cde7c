import { shorten } from '../app/format';

/** A public key, shortened, in a table cell; the whole key shows on hover. */
export function KeyCell({ publicKey }: { publicKey: string }) {
  return (
    <td>
      <code title={publicKey}>{shorten(publicKey)}</code>
    </td>
  );
}
