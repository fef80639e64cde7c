import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { inviteUser } from '../api/transactions';
import { useSignedAction } from '../api/useSignedAction';
import { ErrorNotice } from '../app/ErrorNotice';
import { ReceiptNotice } from '../app/ReceiptNotice';
import { useAuth } from '../auth/AuthContext';
import type { Role } from '../gql/graphql';
import { ROLES, USER_ID } from './roles';

/** Invites a user into the admin's organisation; the e-mail stays off the ledger. */
export function InviteForm({ org, onInvited }: { org: string; onInvited: () => unknown }) {
  const { t } = useTranslation();
  const { txContext } = useAuth();
  const action = useSignedAction();
  const [user, setUser] = useState('');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [roles, setRoles] = useState<Role[]>(['VIEWER']);

  const validUser = USER_ID.test(user);
  const canSubmit = validUser && name.trim() !== '' && roles.length > 0 && action.busy === null;

  return (
    <form
      className="card form"
      data-testid="invite-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!canSubmit) return;
        void action.run(
          'invite',
          async () =>
            inviteUser(await txContext(), { org, user, name: name.trim(), roles }, email.trim() === '' ? null : email.trim()),
          () => {
            setUser('');
            setName('');
            setEmail('');
            setRoles(['VIEWER']);
            return onInvited();
          },
        );
      }}
    >
      <h2>{t('org.invite.title')}</h2>
      <label>
        {t('org.invite.user')}
        <input
          value={user}
          onChange={(e) => setUser(e.target.value)}
          placeholder={`${org}.name`}
          data-testid="invite-user"
          aria-invalid={user !== '' && !validUser}
        />
      </label>
      {user !== '' && !validUser && <p className="hint">{t('org.invite.userRule')}</p>}
      <label>
        {t('org.invite.name')}
        <input value={name} onChange={(e) => setName(e.target.value)} data-testid="invite-name" />
      </label>
      <label>
        {t('org.invite.email')}
        <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} data-testid="invite-email" />
      </label>
      <p className="hint">{t('org.invite.emailOffLedger')}</p>
      <fieldset>
        <legend>{t('org.invite.roles')}</legend>
        {ROLES.map((r) => (
          <label key={r} className="checkbox">
            <input
              type="checkbox"
              checked={roles.includes(r)}
              onChange={(e) => setRoles((prev) => (e.target.checked ? [...prev, r] : prev.filter((x) => x !== r)))}
            />
            {t(`roles.${r}`)}
          </label>
        ))}
      </fieldset>
      <button type="submit" disabled={!canSubmit} data-testid="invite-submit">
        {action.busy ? t('common.signing') : t('org.invite.submit')}
      </button>
      <ErrorNotice error={action.error} />
      <ReceiptNotice receipt={action.receipt} />
    </form>
  );
}
