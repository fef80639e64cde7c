import { useTranslation } from 'react-i18next';
import { useSignedAction } from '../api/useSignedAction';
import { ActionOutcome } from '../app/ActionOutcome';
import { Card } from '../app/Card';
import { ListTable } from '../app/Table';
import type { Organisation } from '../org/useOrganisation';
import { ApproveKeyButton } from './ApproveKeyButton';
import { KeyCell } from './KeyCell';

/** For admins: keys of their organisation's members that wait for approval. */
export function PendingApprovals({ organisation, onChanged }: { organisation: Organisation; onChanged: () => unknown }) {
  const { t } = useTranslation();
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
              <ApproveKeyButton user={member.id} publicKey={key.key} action={action} onDone={onChanged} showSigning />
            </td>
          </tr>
        )}
      />
    </Card>
  );
}
