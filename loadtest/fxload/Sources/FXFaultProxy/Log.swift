import Foundation

/// One line on stderr (the cluster keeps it in its faults.log).
public func log(_ line: String) {
    FileHandle.standardError.write(Data("fxfault: \(line)\n".utf8))
}
