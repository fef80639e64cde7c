import { useTranslation } from 'react-i18next';
import { Card } from '../app/Card';
import { EventHistory, type HistoryEvent } from '../ledger/EventHistory';

/** The loan's signed history, each entry's proof checked in this browser against the log key. */
export function LoanHistory({ events, orgName }: { events: readonly HistoryEvent[]; orgName: (id: string | null) => string }) {
  const { t } = useTranslation();
  return (
    <Card testId="loan-history" title={t('loan.history')} explain={t('loan.historyExplain')}>
      <EventHistory events={events} orgName={orgName} testIdPrefix="loan-event" markTypes />
    </Card>
  );
}
