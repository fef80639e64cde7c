import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { AuthProvider, useAuth } from '../auth/AuthContext';
import { LoginPage } from '../auth/LoginPage';
import { GovernancePage } from '../governance/GovernancePage';
import { EnrolPage } from '../keys/EnrolPage';
import { KeysPage } from '../keys/KeysPage';
import { ExplorerPage } from '../ledger/ExplorerPage';
import { FinancingPage } from '../loans/FinancingPage';
import { LendingPage } from '../loans/LendingPage';
import { LoanDetailPage } from '../loans/LoanDetailPage';
import { PledgesPage } from '../loans/PledgesPage';
import { OrgPage } from '../org/OrgPage';
import { InspectionPage } from '../receipts/InspectionPage';
import { MyReceiptsPage } from '../receipts/MyReceiptsPage';
import { ReceiptCheckPage } from '../receipts/ReceiptCheckPage';
import { ReceiptDetailPage } from '../receipts/ReceiptDetailPage';
import { WarehousePage } from '../receipts/WarehousePage';
import { TrustPage } from '../trust/TrustPage';
import { Layout } from './Layout';
import { RequireSession } from './RequireSession';

function Home() {
  const { session } = useAuth();
  return <Navigate to={session && session.scope !== 'enrol' ? '/explorer' : '/login'} replace />;
}

function Title() {
  const { t, i18n } = useTranslation();
  useEffect(() => {
    document.title = t('app.title');
    document.documentElement.lang = i18n.language;
  }, [t, i18n.language]);
  return null;
}

export function App() {
  return (
    <BrowserRouter>
      <AuthProvider>
        <Title />
        <Layout>
          <Routes>
            <Route path="/" element={<Home />} />
            <Route path="/login" element={<LoginPage />} />
            <Route path="/enrol" element={<EnrolPage />} />
            <Route
              path="/keys"
              element={
                <RequireSession>
                  <KeysPage />
                </RequireSession>
              }
            />
            <Route
              path="/org"
              element={
                <RequireSession>
                  <OrgPage />
                </RequireSession>
              }
            />
            <Route
              path="/explorer"
              element={
                <RequireSession>
                  <ExplorerPage />
                </RequireSession>
              }
            />
            <Route
              path="/warehouse"
              element={
                <RequireSession>
                  <WarehousePage />
                </RequireSession>
              }
            />
            <Route
              path="/inspection"
              element={
                <RequireSession>
                  <InspectionPage />
                </RequireSession>
              }
            />
            <Route
              path="/receipts"
              element={
                <RequireSession>
                  <MyReceiptsPage />
                </RequireSession>
              }
            />
            <Route
              path="/receipts/:id"
              element={
                <RequireSession>
                  <ReceiptDetailPage />
                </RequireSession>
              }
            />
            <Route
              path="/financing"
              element={
                <RequireSession>
                  <FinancingPage />
                </RequireSession>
              }
            />
            <Route
              path="/lending"
              element={
                <RequireSession>
                  <LendingPage />
                </RequireSession>
              }
            />
            <Route
              path="/pledges"
              element={
                <RequireSession>
                  <PledgesPage />
                </RequireSession>
              }
            />
            <Route
              path="/loans/:id"
              element={
                <RequireSession>
                  <LoanDetailPage />
                </RequireSession>
              }
            />
            <Route
              path="/governance"
              element={
                <RequireSession>
                  <GovernancePage />
                </RequireSession>
              }
            />
            {/* What the ledger guarantees is for anyone to read, member or not. */}
            <Route path="/trust" element={<TrustPage />} />
            {/* The public receipt check, which a QR code opens: no session needed. */}
            <Route path="/r/:id" element={<ReceiptCheckPage />} />
            <Route path="*" element={<Home />} />
          </Routes>
        </Layout>
      </AuthProvider>
    </BrowserRouter>
  );
}
