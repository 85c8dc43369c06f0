import Foundation
import ZIPFoundation

/// The ECB history as shipped: `eurofxref-hist.zip` holding one CSV, or that CSV itself.
public enum ECBArchive {
    /// The CSV bytes: the single file inside a zip (read in memory), or `data` unchanged when it is not a zip.
    public static func csv(from data: Data) throws(ECBImportError) -> Data {
        guard data.starts(with: [0x50, 0x4B, 0x03, 0x04]) else { return data }
        do {
            let archive = try Archive(data: data, accessMode: .read)
            let files = archive.filter { $0.type == .file }
            guard files.count == 1, let entry = files.first else {
                throw ECBImportError.archive("expected one file in the zip, found \(files.count)")
            }
            var csv = Data()
            _ = try archive.extract(entry) { chunk in csv.append(chunk) }
            return csv
        } catch let error as ECBImportError {
            throw error
        } catch {
            throw .archive("the zip cannot be read: \(error)")
        }
    }
}
