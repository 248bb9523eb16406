import Foundation

/// What a password must be: at least 12 characters, not one of the most common passwords, and not the
/// username. Messages in Thai and English; the web shows the Thai one beside the field.
public enum PasswordPolicy {
    public static let minimumLength = 12

    /// Passwords seen most often in breach lists (and Thai favourites), compared case-insensitively.
    /// Short ones are already refused by the length rule; this list holds those of 12 characters or more.
    static let common: Set<String> = [
        "123456789012", "1234567890123", "12345678901234", "123456789123", "111111111111", "000000000000", "123123123123",
        "qwertyuiopas", "qwertyuiop12", "qwerty123456", "1qaz2wsx3edc", "1q2w3e4r5t6y", "zaq12wsxcde3", "asdfghjkl123",
        "password1234", "password123!", "passwordpassword", "p@ssw0rd1234", "p@ssword1234", "password12345", "passw0rd1234",
        "iloveyou1234", "welcome12345", "administrator", "admin1234567", "adminadmin12", "letmein12345", "changeme1234",
        "abc123456789", "abcdefghijkl", "abcd12345678", "aaaaaaaaaaaa", "football1234", "sunshine1234", "princess1234",
        "superman1234", "trustno11234", "monkey123456", "dragon123456", "baseball1234", "starwars1234", "computer1234",
        "thailand1234", "thailand2566", "thailand2567", "thailand2568", "bangkok12345", "sawasdee1234", "sawadee12345",
        "prongsai1234", "prongsai2566", "prongsai2567", "prongsai2568", "prongsai2569", "integrity123", "transparency",
        "transparency1", "itaita123456", "ita123456789", "nacc12345678", "korat1234567", "chiangmai123",
    ]

    /// Why the password is refused, or nil when it is acceptable.
    public static func problem(_ password: String, username: String = "") -> LocalizedText? {
        if password.count < minimumLength {
            return LocalizedText(th: "รหัสผ่านต้องยาวอย่างน้อย \(minimumLength) ตัวอักษร", en: "The password must be at least \(minimumLength) characters long")
        }
        let lowered = password.lowercased()
        if common.contains(lowered) || Set(lowered).count <= 2 {
            return LocalizedText(th: "รหัสผ่านนี้ถูกใช้บ่อยจนเดาได้ง่าย กรุณาเลือกรหัสผ่านอื่น", en: "This password is too common to be safe; choose another")
        }
        if !username.isEmpty, lowered.contains(username.lowercased()) {
            return LocalizedText(th: "รหัสผ่านต้องไม่มีชื่อผู้ใช้อยู่ในนั้น", en: "The password must not contain the username")
        }
        return nil
    }

    /// A random password people can type: 16 characters from an alphabet without look-alikes (0/O, 1/l).
    public static func generate() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<16).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
