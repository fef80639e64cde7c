import { useTranslation } from 'react-i18next';
import { approveKey } from '../api/transactions';
import { useSignedAction } from '../api/useSignedAction';
import { ErrorNotice } from '../app/ErrorNotice';
import { shorten } from '../app/format';
import { ReceiptNotice } from '../app/ReceiptNotice';
import { useAuth } from '../auth/AuthContext';
import type { Organisation } from '../org/useOrganisation';

/** For admins: keys of their organisation's members that wait for approval. */
export function PendingApprovals({ organisation, onChanged }: { organisation: Organisation; onChanged: () => unknown }) {
  const { t } = useTranslation();
  const { txContext } = useAuth();
  const action = useSignedAction();
  const pending = (organisation.members ?? []).flatMap((m) =>
    m.keys.filter((k) => k.status === 'PENDING').map((k) => ({ member: m, key: k })),
  );

  return (
    <section className="card" data-testid="pending-approvals">
      <h2>{t('keys.pending.title', { org: organisation.name })}</h2>
      <ErrorNotice error={action.error} />
      <ReceiptNotice receipt={action.receipt} />
      {pending.length === 0 ? (
        <p className="muted">{t('keys.pending.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{t('common.user')}</th>
              <th>{t('common.key')}</th>
              <th>{t('common.device')}</th>
              <th>{t('keys.enrolledAt')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {pending.map(({ member, key }) => (
              <tr key={key.key}>
                <td>
                  {member.name} <span className="muted">({member.id})</span>
                </td>
                <td>
                  <code title={key.key}>{shorten(key.key)}</code>
                </td>
                <td>{key.device ?? ''}</td>
                <td>{t('common.atEntry', { index: key.enrolledAt })}</td>
                <td>
                  <button
                    type="button"
                    data-testid={`approve-${member.id}-${key.key}`}
                    disabled={action.busy !== null}
                    onClick={() =>
                      void action.run(key.key, async () => approveKey(await txContext(), { user: member.id, key: key.key }), onChanged)
                    }
                  >
                    {action.busy === key.key ? t('common.signing') : t('keys.pending.approve')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
