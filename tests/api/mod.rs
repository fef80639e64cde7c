//! The HTTP API end to end, against a real node on a real port.

mod edge;
mod errors;
pub(crate) mod financing;
mod governance;
mod invitations;
pub(crate) mod mutations;
pub(crate) mod receipts;
mod routes;
mod schema;
mod sessions;
mod subscription;
mod visibility;

use godown_domain::membership::body::{InviteUser, RoleChange};
use godown_domain::{MembershipTx, Name, OrgId, Role, UserId};
use serde_json::{Value, json};

use crate::support::Backend;
use crate::support::server::TestServer;

async fn server(backend: Backend) -> Option<TestServer> {
    TestServer::start(backend).await
}

async fn done(server: TestServer) {
    if let Some(db) = &server.app.pg {
        db.drop_now().await;
    }
}

pub(crate) const INVITE: &str =
    "mutation($input: InviteUserInput!, $email: String, $signature: SignatureInput!) {
  inviteUser(input: $input, email: $email, signature: $signature) { index leafHash time type }
}";

pub(crate) const GRANT: &str = "mutation($input: RoleInput!, $signature: SignatureInput!) {
  grantRole(input: $input, signature: $signature) { index type }
}";

pub(crate) fn invite_tx(org: &str, user: &str) -> MembershipTx {
    MembershipTx::Invite(InviteUser {
        org: OrgId::parse(org).unwrap(),
        user: UserId::parse(user).unwrap(),
        name: Name::parse(user).unwrap(),
        roles: vec![Role::Officer],
    })
}

pub(crate) fn invite_input(org: &str, user: &str) -> Value {
    json!({"org": org, "user": user, "name": user, "roles": ["OFFICER"]})
}

pub(crate) fn grant_tx(user: &str, role: Role) -> MembershipTx {
    MembershipTx::Grant(RoleChange {
        user: UserId::parse(user).unwrap(),
        role,
    })
}
