import { useTranslation } from 'react-i18next';
import { approveKey } from '../api/transactions';
import { useSignedAction } from '../api/useSignedAction';
import { ActionOutcome } from '../app/ActionOutcome';
import { Card } from '../app/Card';
import { SignButton } from '../app/SignButton';
import { ListTable } from '../app/Table';
import { useAuth } from '../auth/AuthContext';
import type { Organisation } from '../org/useOrganisation';
import { KeyCell } from './KeyCell';

/** For admins: keys of their organisation's members that wait for approval. */
export function PendingApprovals({ organisation, onChanged }: { organisation: Organisation; onChanged: () => unknown }) {
  const { t } = useTranslation();
  const { txContext } = useAuth();
  const action = useSignedAction();
  const pending = (organisation.members ?? []).flatMap((m) =>
    m.keys.filter((k) => k.status === 'PENDING').map((k) => ({ member: m, key: k })),
  );

  return (
    <Card testId="pending-approvals" title={t('keys.pending.title', { org: organisation.name })}>
      <ActionOutcome action={action} />
      <ListTable
        rows={pending}
        none={t('keys.pending.none')}
        columns={[t('common.user'), t('common.key'), t('common.device'), t('keys.enrolledAt'), '']}
        row={({ member, key }) => (
          <tr key={key.key}>
            <td>
              {member.name} <span className="muted">({member.id})</span>
            </td>
            <KeyCell publicKey={key.key} />
            <td>{key.device ?? ''}</td>
            <td>{t('common.atEntry', { index: key.enrolledAt })}</td>
            <td>
              <SignButton
                action={action}
                id={key.key}
                sign={async () => approveKey(await txContext(), { user: member.id, key: key.key })}
                onDone={onChanged}
                label={t('keys.pending.approve')}
                testId={`approve-${member.id}-${key.key}`}
                showSigning
              />
            </td>
          </tr>
        )}
      />
    </Card>
  );
}
