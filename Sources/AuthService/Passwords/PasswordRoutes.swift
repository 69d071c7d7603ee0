import Foundation
import Hummingbird
import Logging
import PlatformKit

/// `POST /auth/password-reset/request` (always 202, throttled), `POST
/// /auth/password-reset/confirm` (sets the password, ends every session) and `POST
/// /auth/password/change` (signed in; ends the other sessions). Reset tokens are 256-bit,
/// single use, valid 30 minutes, stored as SHA-256 only.
struct PasswordRoutes: Sendable {
    let repository: PasswordRepository
    let sessions: any SessionRepository
    let passwords: PasswordHasher
    let authenticator: AccessAuthenticator
    let sender: any PasswordResetSender
    let limits: AuthRateLimits
    /// Password changes end sessions: they return once this instance's access memory shows it.
    let feed: AccessFeedPublisher

    static let invalidResetToken = PlatformError.Code("invalid_reset_token", .badRequest)

    struct RequestInput: Decodable, Sendable { let email: String }
    struct ConfirmInput: Decodable, Sendable {
        let token: String
        let newPassword: String
        enum CodingKeys: String, CodingKey { case token, newPassword = "new_password" }
    }
    struct ChangeInput: Decodable, Sendable {
        let currentPassword: String
        let newPassword: String
        enum CodingKeys: String, CodingKey { case currentPassword = "current_password", newPassword = "new_password" }
    }

    func add(to router: Router<PlatformRequestContext>) {
        router.post("/auth/password-reset/request") { request, context in
            let input = try await request.decodeJSON(as: RequestInput.self, context: context)
            try await limits.check(.resetRequest, ip: limits.clientIP(request, context), subject: input.email.lowercased())
            if let user = try await sessions.user(email: input.email), user.active {
                let token = OpaqueToken.make(prefix: "pr_")
                try await repository.createResetToken(token, user: user.id)
                try await sender.send(token: token, to: user.email)
            }
            // The same answer whether or not the email exists.
            return Response(status: .accepted)
        }
        let ending = router.group().add(middleware: SettlesAccessMemory(feed: feed))
        ending.post("/auth/password-reset/confirm") { request, context in
            let input = try await request.decodeJSON(as: ConfirmInput.self, context: context)
            try Self.validate(input.newPassword)
            // Limits, then the token, then the hash: junk confirmations cost an indexed read,
            // never a share of the hashing pool that sign-in needs.
            try await limits.check(.resetConfirm, ip: limits.clientIP(request, context))
            guard try await repository.resetTokenIsLive(input.token) else {
                throw PlatformError(Self.invalidResetToken, "This reset link is invalid or has expired.")
            }
            let hash = try await passwords.hash(input.newPassword)
            guard let (user, ended) = try await repository.resetPassword(token: input.token, hash: hash) else {
                throw PlatformError(Self.invalidResetToken, "This reset link is invalid or has expired.")
            }
            try await sessions.audit(actor: user.uuidString, action: "password_reset", target: nil, outcome: "ok", requestID: context.trace.requestID)
            return ["revoked_sessions": ended]
        }
        ending.post("/auth/password/change") { request, context in
            let identity = try await authenticator.authenticate(request, context)
            let input = try await request.decodeJSON(as: ChangeInput.self, context: context)
            try Self.validate(input.newPassword)
            // Before the verify: a stolen access token cannot guess the current password at
            // hashing speed.
            try await limits.check(.passwordChange, ip: limits.clientIP(request, context), subject: identity.userID.lowercased)
            guard let stored = try await repository.storedHash(user: identity.userID),
                  try await passwords.verify(input.currentPassword, against: stored) else {
                throw PlatformError(SessionRoutes.invalidCredentials, "The current password is wrong.")
            }
            let hash = try await passwords.hash(input.newPassword)
            // Every other session ends; this one continues.
            guard try await repository.changePassword(user: identity.userID, from: stored, to: hash, keeping: identity.sessionID) else {
                throw PlatformError(SessionRoutes.invalidCredentials, "The current password is wrong.")
            }
            try await sessions.audit(actor: identity.userID.uuidString, action: "password_change", target: nil, outcome: "ok",
                                     requestID: context.trace.requestID)
            return Response(status: .noContent)
        }
    }

    static func validate(_ password: String) throws {
        try TextInput.requireLength(password, 10...1024, field: "a password")
    }

}

import NIOCore
