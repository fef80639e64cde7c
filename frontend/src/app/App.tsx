import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { AuthProvider, useAuth } from '../auth/AuthContext';
import { LoginPage } from '../auth/LoginPage';
import { EnrolPage } from '../keys/EnrolPage';
import { KeysPage } from '../keys/KeysPage';
import { ExplorerPage } from '../ledger/ExplorerPage';
import { OrgPage } from '../org/OrgPage';
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
            <Route path="*" element={<Home />} />
          </Routes>
        </Layout>
      </AuthProvider>
    </BrowserRouter>
  );
}
