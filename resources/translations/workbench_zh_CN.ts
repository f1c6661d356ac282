<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="+43"/>
        <source>Prepull Workbench</source>
        <extracomment>The user asked to leave (window closed or File &gt; Quit).</extracomment>
        <translation>预拉取工作台</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Workspace: %1</source>
        <translation>工作区：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Composer</source>
        <translation>请求编排</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Compose a launch (path, query, scene, version, token or code), see the exact request and send it to your server or the mock.</source>
        <translation>编排一次启动（路径、query、场景值、版本、token 或 code），查看发出的确切请求，并发送到你的服务器或模拟服务器。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Mock server</source>
        <translation>模拟服务器</translation>
    </message>
    <message>
        <location line="-13"/>
        <source>Traffic</source>
        <translation>流量</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gray-scale rollout: main and gray address, the percentage slider and simulated users.</source>
        <translation>灰度发布：主地址与灰度地址、百分比滑块和模拟用户。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cache</source>
        <translation>缓存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What wx.getBackgroundFetchData returns for each user, and why an entry is missing.</source>
        <translation>每个用户调用 wx.getBackgroundFetchData 会得到什么，以及缓存为何缺失。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Every pre-pull sent, persisted in the workspace, ready to replay.</source>
        <translation>发出的每一次预拉取，保存在工作区中，可随时重放。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About Prepull Workbench</source>
        <translation>关于预拉取工作台(&amp;A)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&lt;h3&gt;Prepull Workbench %1&lt;/h3&gt;&lt;p&gt;Debug WeChat Mini Program data pre-pull (background fetch) on your own machine: the exact request, a live mock server, gray-scale simulation, the cache as the Mini Program reads it, and history with replay.&lt;/p&gt;&lt;p&gt;Workspace: %2&lt;/p&gt;</source>
        <translation>&lt;h3&gt;预拉取工作台 %1&lt;/h3&gt;&lt;p&gt;在你自己的电脑上调试微信小程序数据预拉取（后台拉取）：确切的请求、实时模拟服务器、灰度模拟、小程序读取到的缓存，以及可重放的历史。&lt;/p&gt;&lt;p&gt;工作区：%2&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>About Prepull Workbench</source>
        <translation>关于预拉取工作台</translation>
    </message>
</context>
<context>
    <name>MockServerView</name>
    <message>
        <location filename="../../workbench/ui/mock_view.py" line="+111"/>
        <source>127.0.0.1 keeps the server on this machine. 0.0.0.0 opens it to your network.</source>
        <translation>127.0.0.1 仅限本机访问；0.0.0.0 会向你的网络开放。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>any free</source>
        <translation>任意空闲端口</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>HTTPS (local certificate)</source>
        <translation>HTTPS（本地证书）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Start when the app opens</source>
        <translation>打开应用时启动</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Copy URL</source>
        <translation>复制 URL</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Host</source>
        <translation>主机</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Rules</source>
        <translation>规则</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Users and tokens</source>
        <translation>用户与 token</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Listening on %1 makes the mock server reachable from other machines; it has no access control.</source>
        <translation>监听 %1 会让其他机器访问到模拟服务器，而它没有任何访问控制。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Start</source>
        <translation>启动</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Mock server stopped</source>
        <translation>模拟服务器已停止</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Mock server running at %1</source>
        <translation>模拟服务器运行于 %1</translation>
    </message>
</context>
<context>
    <name>RequestLogModel</name>
    <message>
        <location filename="../../workbench/ui/request_log.py" line="+78"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Endpoint</source>
        <translation>端点</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>appid</source>
        <translation>appid</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Token / code</source>
        <translation>Token / code</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>timestamp</source>
        <translation>timestamp</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>path</source>
        <translation>path</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Launch query</source>
        <translation>启动 query</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>scene</source>
        <translation>scene</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Latency</source>
        <translation>耗时</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>none</source>
        <translation>无</translation>
    </message>
</context>
<context>
    <name>RequestLogView</name>
    <message>
        <location line="+96"/>
        <source>Filter: endpoint, path, query, scene, user, rule, status…</source>
        <translation>筛选：端点、路径、query、场景值、用户、规则、状态…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Show tokens</source>
        <translation>显示 token</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Clear view</source>
        <translation>清空视图</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Empty this view; the workspace database keeps every request.</source>
        <translation>清空此视图；工作区数据库仍保留所有请求。</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Select a request to see it raw, with its response.</source>
        <translation>选择一个请求，查看原始请求及其响应。</translation>
    </message>
    <message numerus="yes">
        <location line="+28"/>
        <source>%n request(s)</source>
        <translation>
            <numerusform>%n 个请求</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RuleForm</name>
    <message>
        <location filename="../../workbench/ui/rules_editor.py" line="+102"/>
        <source>Enabled</source>
        <translation>启用</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+7"/>
        <location line="+5"/>
        <source>any</source>
        <translation>任意</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>any; wildcards * and ?, e.g. pages/detail/*</source>
        <translation>任意；支持通配符 * 和 ?，例如 pages/detail/*</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>any; keys that must be in the launch query, e.g. id, from</source>
        <translation>任意；启动 query 中必须包含的键，例如 id, from</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>any valid</source>
        <translation>任意有效</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Placeholders: %1. {{name|json}} inserts a JSON string; {{json_bytes:262144}} makes exactly that many bytes of JSON.</source>
        <translation>占位符：%1。{{name|json}} 插入 JSON 字符串；{{json_bytes:262144}} 生成恰好该字节数的 JSON。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>drop the connection</source>
        <translation>断开连接</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>stall (headers, then nothing)</source>
        <translation>挂起（只发响应头）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>truncate the body</source>
        <translation>截断响应体</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>When the request matches</source>
        <translation>当请求匹配</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Endpoint</source>
        <translation>端点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Page path</source>
        <translation>页面路径</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Query keys</source>
        <translation>query 键</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scene</source>
        <translation>场景值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Token</source>
        <translation>Token</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Respond with</source>
        <translation>响应内容</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Headers</source>
        <translation>响应头</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Body</source>
        <translation>响应体</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delay</source>
        <translation>延迟</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fault</source>
        <translation>故障</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+76"/>
        <source>Header line %1 must look like &apos;Name: value&apos;.</source>
        <translation>第 %1 行响应头格式应为“名称: 值”。</translation>
    </message>
</context>
<context>
    <name>RulesEditor</name>
    <message>
        <location line="+43"/>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Duplicate</source>
        <translation>复制</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Up</source>
        <translation>上移</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Down</source>
        <translation>下移</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The first matching rule answers, top to bottom. Edits apply to the next request.</source>
        <translation>自上而下，第一条匹配的规则生效。修改对下一个请求立即生效。</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>rule %1</source>
        <translation>规则 %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source> copy</source>
        <translation> 副本</translation>
    </message>
</context>
<context>
    <name>RulesModel</name>
    <message>
        <location line="-272"/>
        <source> (off)</source>
        <translation>（已停用）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The default rule answers every request no other rule matches.</source>
        <translation>默认规则响应所有未被其他规则匹配的请求。</translation>
    </message>
</context>
<context>
    <name>Services</name>
    <message>
        <location filename="../../workbench/services.py" line="+123"/>
        <source>The mock server did not start: %1</source>
        <extracomment>How often logged mock requests reach the views and the database (coalesced: smooth at 1,000/s). A pre-pull was stored: its history id. The mock server started (its base URL) or stopped (empty string). A batch of requests the mock server answered (list[RequestLog]), oldest first. Something the user should read in the status bar.</extracomment>
        <translation>模拟服务器未能启动：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> (reachable from other machines)</source>
        <translation>（其他机器可访问）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mock server running at %1</source>
        <translation>模拟服务器运行于 %1</translation>
    </message>
</context>
<context>
    <name>UsersEditor</name>
    <message>
        <location filename="../../workbench/ui/mock_view.py" line="-164"/>
        <source>Check tokens and codes; on failure answer with status</source>
        <translation>校验 token 和 code；失败时返回状态码</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Valid token</source>
        <translation>有效 token</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>openid</source>
        <translation>openid</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Add user</source>
        <translation>添加用户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove user</source>
        <translation>删除用户</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <location filename="../../workbench/app.py" line="+63"/>
        <source>Prepull Workbench</source>
        <translation>预拉取工作台</translation>
    </message>
</context>
</TS>
