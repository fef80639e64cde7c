import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { grantRole, revokeRole } from '../api/transactions';
import { type SignedAction, useSignedAction } from '../api/useSignedAction';
import { ActionOutcome } from '../app/ActionOutcome';
import { Card } from '../app/Card';
import { ErrorNotice } from '../app/ErrorNotice';
import { shorten } from '../app/format';
import { InlineForm, SubmitButton } from '../app/forms';
import { Page } from '../app/Page';
import { TableHead } from '../app/Table';
import { useAuth } from '../auth/AuthContext';
import type { Role } from '../gql/graphql';
import { ApproveKeyButton } from '../keys/ApproveKeyButton';
import { KeyStatusBadge } from '../keys/KeyStatusBadge';
import { RevokeKeyButton } from '../keys/RevokeKeyButton';
import { InviteForm } from './InviteForm';
import { ROLES } from './roles';
import { type Member, useOrganisation } from './useOrganisation';

function MemberRow({ member, admin, action, onChanged }: { member: Member; admin: boolean; action: SignedAction; onChanged: () => unknown }) {
  const { t } = useTranslation();
  const { txContext } = useAuth();
  const missing = ROLES.filter((r) => !member.roles.includes(r));
  const [grant, setGrant] = useState<Role | ''>('');
  const busy = action.busy !== null;

  return (
    <tr data-testid={`member-${member.id}`}>
      <td>
        <strong>{member.name}</strong>
        <div className="muted">{member.id}</div>
      </td>
      <td>
        <span className={`badge badge-${member.status.toLowerCase()}`}>{t(`userStatus.${member.status}`)}</span>
      </td>
      <td>
        <div className="roles">
          {member.roles.map((r) => (
            <span key={r} className="badge badge-role">
              {t(`roles.${r}`)}
              {admin && (
                <button
                  type="button"
                  className="link danger"
                  title={t('org.roles.revoke', { role: t(`roles.${r}`) })}
                  aria-label={t('org.roles.revoke', { role: t(`roles.${r}`) })}
                  data-testid={`revoke-role-${member.id}-${r}`}
                  disabled={busy}
                  onClick={() =>
                    void action.run(`${member.id}-${r}`, async () => revokeRole(await txContext(), { user: member.id, role: r }), onChanged)
                  }
                >
                  ×
                </button>
              )}
            </span>
          ))}
        </div>
        {admin && missing.length > 0 && (
          <InlineForm
            ok={grant !== ''}
            onSubmit={() => {
              if (grant === '') return;
              const role = grant;
              void action.run(`${member.id}+${role}`, async () => grantRole(await txContext(), { user: member.id, role }), () => {
                setGrant('');
                return onChanged();
              });
            }}
          >
            <select
              value={grant}
              onChange={(e) => setGrant(e.target.value as Role | '')}
              aria-label={t('org.roles.choose')}
              data-testid={`grant-role-select-${member.id}`}
            >
              <option value="">{t('org.roles.choose')}</option>
              {missing.map((r) => (
                <option key={r} value={r}>
                  {t(`roles.${r}`)}
                </option>
              ))}
            </select>
            <SubmitButton label={t('org.roles.grant')} testId={`grant-role-${member.id}`} disabled={busy || grant === ''} />
          </InlineForm>
        )}
      </td>
      <td>
        {member.keys.length === 0 && <span className="muted">{t('org.noKeys')}</span>}
        <ul className="member-keys">
          {member.keys.map((k) => (
            <li key={k.key}>
              <code title={k.key}>{shorten(k.key)}</code> <KeyStatusBadge status={k.status} />{' '}
              {k.device && <span className="muted">{k.device}</span>}{' '}
              <span className="muted">{t('common.atEntry', { index: k.activatedAt ?? k.enrolledAt })}</span>
              {admin && k.status === 'PENDING' && (
                <ApproveKeyButton user={member.id} publicKey={k.key} action={action} onDone={onChanged} />
              )}
              {admin && k.status !== 'REVOKED' && (
                <RevokeKeyButton publicKey={k.key} action={action} onDone={onChanged} />
              )}
            </li>
          ))}
        </ul>
      </td>
    </tr>
  );
}

export function OrgPage() {
  const { t } = useTranslation();
  const { session, isAdmin } = useAuth();
  const { organisation, error, loading, reload } = useOrganisation();
  const action = useSignedAction();

  if (!session) return null;

  return (
    <Page title={organisation ? organisation.name : t('org.title')}>
      <ErrorNotice error={error} />
      {loading && !organisation && <p>{t('common.loading')}</p>}
      {!loading && !organisation && !error && <p className="muted">{t('org.notFound', { org: session.org })}</p>}
      {organisation && (
        <>
          <p className="muted" data-testid="org-summary">
            {t('org.summary', {
              id: organisation.id,
              kind: t(`orgKind.${organisation.kind}`),
              status: t(`orgStatus.${organisation.status}`),
              admitted: organisation.admittedAt,
            })}
          </p>
          <Card title={t('org.members')}>
            <ActionOutcome action={action} />
            <table data-testid="members">
              <TableHead columns={[t('common.user'), t('common.status'), t('org.roles.title'), t('org.keys')]} />
              <tbody>
                {(organisation.members ?? []).map((m) => (
                  <MemberRow key={m.id} member={m} admin={isAdmin} action={action} onChanged={reload} />
                ))}
              </tbody>
            </table>
          </Card>
          {isAdmin && <InviteForm org={organisation.id} onInvited={reload} />}
        </>
      )}
    </Page>
  );
}
